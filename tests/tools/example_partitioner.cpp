// An example partitioner plugin (the C ABI of core/producer/partitioner_plugin.h), loaded by
// path through partitioner.class. Keyed records go to (sum of the key's bytes) % partitions, so
// the placement is easy to check by hand; keyless records go round robin over available
// partitions. Thread-safe: the only state is an atomic counter per instance.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

#include "producer/partitioner_plugin.h"

namespace {

struct Instance {
    std::atomic<uint32_t> next{0};
    std::atomic<int32_t> newBatches{0};
};

void* create(const char* const* keys, const char* const* values, size_t count, char* error,
             size_t errorLen) {
    auto* instance = new Instance;
    for (size_t i = 0; i < count; ++i) {
        // A plugin sees the whole producer configuration; this one refuses one client.id only
        // to show how errors are reported.
        if (std::strcmp(keys[i], "client.id") == 0 && std::strcmp(values[i], "reject-me") == 0) {
            std::snprintf(error, errorLen, "client.id 'reject-me' is refused by the example");
            delete instance;
            return nullptr;
        }
    }
    return instance;
}

void destroy(void* instance) {
    delete static_cast<Instance*>(instance);
}

int32_t keySum(const uint8_t* key, int64_t len) {
    uint32_t sum = 0;
    for (int64_t i = 0; i < len; ++i)
        sum += key[i];
    return static_cast<int32_t>(sum & 0x7fffffff);
}

int32_t partition(void* self, const char*, size_t, const uint8_t* key, int64_t keyLen,
                  const uint8_t*, int64_t, const bs_partitioner_cluster* cluster) {
    auto* instance = static_cast<Instance*>(self);
    if (key && keyLen >= 0) return keySum(key, keyLen) % cluster->partition_count;
    const uint32_t n = instance->next.fetch_add(1);
    if (cluster->available_count > 0)
        return cluster->available_partitions[n % static_cast<uint32_t>(cluster->available_count)];
    return static_cast<int32_t>(n % static_cast<uint32_t>(cluster->partition_count));
}

void onNewBatch(void* self, const char*, size_t, const bs_partitioner_cluster*, int32_t) {
    static_cast<Instance*>(self)->newBatches.fetch_add(1);
}

void explain(void* self, const char*, size_t, const uint8_t* key, int64_t keyLen,
             const bs_partitioner_cluster* cluster, char* buf, size_t bufLen) {
    auto* instance = static_cast<Instance*>(self);
    if (key && keyLen >= 0) {
        const int32_t sum = keySum(key, keyLen);
        std::snprintf(buf, bufLen, "sum of key bytes = %d; %% %d = %d", sum,
                      cluster->partition_count, sum % cluster->partition_count);
    } else {
        std::snprintf(buf, bufLen, "no key: round robin, counter %u, %d new batches seen",
                      instance->next.load(), instance->newBatches.load());
    }
}

const bs_partitioner_plugin kPlugin = {
    BS_PARTITIONER_ABI_VERSION, "key-sum example", create, destroy, partition, onNewBatch, explain,
};

}  // namespace

extern "C" const bs_partitioner_plugin* bs_partitioner_plugin_entry(void) {
    return &kPlugin;
}
