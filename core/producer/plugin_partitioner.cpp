#include "producer/plugin_partitioner.h"

#include <dlfcn.h>

#include <vector>

namespace bs::producer {

namespace {

bs_partitioner_cluster clusterFor(std::string_view topic, const ClusterView& cluster) {
    const auto available = cluster.availablePartitionsForTopic(topic);
    bs_partitioner_cluster c;
    c.partition_count = cluster.partitionCountForTopic(topic);
    c.available_partitions = available.data();
    c.available_count = static_cast<int32_t>(available.size());
    return c;
}

const uint8_t* ptr(const BytesView& b) {
    return b ? b->data() : nullptr;
}
int64_t len(const BytesView& b) {
    return b ? static_cast<int64_t>(b->size()) : -1;
}

}  // namespace

Result<std::unique_ptr<PluginPartitioner>> PluginPartitioner::load(
    const std::string& path, const std::map<std::string, std::string>& config) {
    const std::string where = "partitioner plugin '" + path + "': ";
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        return Error{where + "cannot load: " + (why ? why : "unknown dlopen error")};
    }
    auto fail = [&](const std::string& why) {
        dlclose(handle);
        return Error{where + why};
    };
    void* sym = dlsym(handle, BS_PARTITIONER_PLUGIN_ENTRY);
    if (!sym) return fail("does not export " BS_PARTITIONER_PLUGIN_ENTRY);
    auto entry = reinterpret_cast<bs_partitioner_plugin_entry_fn>(sym);
    const bs_partitioner_plugin* plugin = entry();
    if (!plugin) return fail(BS_PARTITIONER_PLUGIN_ENTRY " returned null");
    if (plugin->abi_version != BS_PARTITIONER_ABI_VERSION)
        return fail("ABI version " + std::to_string(plugin->abi_version) + ", expected " +
                    std::to_string(BS_PARTITIONER_ABI_VERSION));
    if (!plugin->create || !plugin->destroy || !plugin->partition)
        return fail("create, destroy and partition are required");

    std::vector<const char*> keys, values;
    for (const auto& [k, v] : config) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    char error[512] = {0};
    void* instance = plugin->create(keys.data(), values.data(), keys.size(), error, sizeof error);
    if (!instance) {
        error[sizeof error - 1] = 0;
        return fail(std::string("create failed: ") + (error[0] ? error : "no reason given"));
    }
    return std::unique_ptr<PluginPartitioner>(
        new PluginPartitioner(handle, plugin, instance, path));
}

PluginPartitioner::~PluginPartitioner() {
    plugin_->destroy(instance_);
    dlclose(handle_);
}

std::string PluginPartitioner::name() const {
    return std::string("plugin ") + (plugin_->name ? plugin_->name : "?") + " (" + path_ + ")";
}

Result<int32_t> PluginPartitioner::partition(std::string_view topic, BytesView keyBytes,
                                             BytesView valueBytes, const ClusterView& cluster) {
    const auto c = clusterFor(topic, cluster);
    if (c.partition_count <= 0)
        return Error{"topic '" + std::string(topic) + "' has no known partitions"};
    const int32_t p = plugin_->partition(instance_, topic.data(), topic.size(), ptr(keyBytes),
                                         len(keyBytes), ptr(valueBytes), len(valueBytes), &c);
    if (p < 0 || p >= c.partition_count)
        return Error{name() + " returned partition " + std::to_string(p) + " for topic '" +
                     std::string(topic) + "' with " + std::to_string(c.partition_count) +
                     " partitions"};
    return p;
}

void PluginPartitioner::onNewBatch(std::string_view topic, const ClusterView& cluster,
                                   int32_t prevPartition) {
    if (!plugin_->on_new_batch) return;
    const auto c = clusterFor(topic, cluster);
    plugin_->on_new_batch(instance_, topic.data(), topic.size(), &c, prevPartition);
}

PartitionExplanation PluginPartitioner::explain(std::string_view topic, BytesView keyBytes,
                                                const ClusterView& cluster) const {
    PartitionExplanation out;
    out.partitioner = name();
    out.numPartitions = cluster.partitionCountForTopic(topic);
    if (keyBytes) out.keyBytes.assign(keyBytes->begin(), keyBytes->end());
    if (!plugin_->explain) {
        out.detail = "the plugin does not explain its choices";
        return out;
    }
    const auto c = clusterFor(topic, cluster);
    char buf[1024] = {0};
    plugin_->explain(instance_, topic.data(), topic.size(), ptr(keyBytes), len(keyBytes), &c, buf,
                     sizeof buf);
    buf[sizeof buf - 1] = 0;
    out.detail = buf;
    return out;
}

}  // namespace bs::producer
