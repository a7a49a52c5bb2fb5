#pragma once

#include <QString>
#include <QtGlobal>
#include <optional>
#include <string>
#include <vector>

#include "consumer/group_offsets.h"

namespace bs::ui {

// One row of the groups list: ListGroups + DescribeGroups, its total lag from OffsetFetch and
// ListOffsets.
struct GroupSummary {
    std::string groupId;
    std::string state;
    std::string protocolType;
    std::string protocol;  // the assignor, while Stable
    int members = 0;
    int64_t totalLag = 0;  // over the partitions with a committed offset
    QString error;         // this group could not be described
};

// What one refresh of the consumer groups view read, on the reader's worker thread.
struct GroupsSnapshot {
    qint64 timeMs = 0;  // wall clock when the read finished
    QString error;      // the listing failed; `groups` is then empty
    std::vector<GroupSummary> groups;
    // The group selected when the refresh started, in full (none when nothing was selected).
    std::string selected;
    std::optional<consumer::GroupOffsets> detail;
    QString detailError;
};

}  // namespace bs::ui
