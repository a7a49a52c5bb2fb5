#pragma once

#include <map>
#include <memory>
#include <string>

#include "producer/partitioner.h"
#include "producer/partitioner_plugin.h"

namespace bs::producer {

// A partitioner from a shared library implementing the C ABI in partitioner_plugin.h, loaded by
// path (our analogue of partitioner.class naming a Java class). The library stays loaded while
// this object lives. Thread-safety is the plugin's promise (see partitioner_plugin.h).
class PluginPartitioner final : public Partitioner {
  public:
    // dlopen()s `path`, checks the ABI version and creates an instance with `config` (the
    // producer's key/value pairs). Errors name the path and the reason.
    static Result<std::unique_ptr<PluginPartitioner>> load(
        const std::string& path, const std::map<std::string, std::string>& config);
    ~PluginPartitioner() override;

    Result<int32_t> partition(std::string_view topic, BytesView keyBytes, BytesView valueBytes,
                              const ClusterView& cluster) override;
    void onNewBatch(std::string_view topic, const ClusterView& cluster,
                    int32_t prevPartition) override;
    // Java calls onNewBatch for every configured partitioner.class.
    bool wantsOnNewBatch() const override { return true; }
    PartitionExplanation explain(std::string_view topic, BytesView keyBytes,
                                 const ClusterView& cluster) const override;
    std::string name() const override;

  private:
    PluginPartitioner(void* handle, const bs_partitioner_plugin* plugin, void* instance,
                      std::string path)
        : handle_(handle), plugin_(plugin), instance_(instance), path_(std::move(path)) {}

    void* handle_;
    const bs_partitioner_plugin* plugin_;
    void* instance_;
    const std::string path_;
};

}  // namespace bs::producer
