#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/group_metadata.h"
#include "common/result.h"

namespace bs::broker {

// Where the group coordinator keeps committed offsets and group metadata across restarts:
// `<dataDir>/__consumer_offsets.journal`, one JSON record per line, appended as Kafka appends
// to its compacted `__consumer_offsets` topic (a group's metadata, a partition's offset, or a
// group's deletion; the newest record per key wins). open() replays it and rewrites it
// compacted (temporary file, fsync, rename), as the log cleaner would. Appends are flushed to
// the OS at once but not fsynced, like Kafka's default for that topic.
// Not thread-safe: the GroupCoordinator calls it under its lock.
class GroupStore {
  public:
    // Replays the journal into `groups` (state Stable when members were stored, else Empty);
    // a line that cannot be read is skipped with a warning naming the file and line.
    static Result<std::unique_ptr<GroupStore>> open(const std::filesystem::path& dataDir,
                                                    std::map<std::string, Group>& groups);

    Status appendGroup(const Group& group);
    Status appendOffsets(
        const std::string& groupId,
        const std::vector<std::pair<GroupTopicPartition, CommittedOffset>>& offsets);
    Status appendDelete(const std::string& groupId);
    // Rewrites the journal as `groups` alone (the cleaner's pass), when more than `threshold`
    // bytes were appended since the last rewrite.
    Status maybeCompact(const std::map<std::string, Group>& groups, int64_t threshold);
    int64_t appendedBytes() const { return appended_; }

    const std::filesystem::path& file() const { return file_; }

  private:
    explicit GroupStore(std::filesystem::path file) : file_(std::move(file)) {}
    Status appendLine(const std::string& line);
    Status rewrite(const std::map<std::string, Group>& groups);

    const std::filesystem::path file_;
    std::ofstream out_;
    int64_t appended_ = 0;  // bytes appended since the journal was last rewritten
};

}  // namespace bs::broker
