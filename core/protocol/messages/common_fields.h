#pragma once

// Descriptions of structs shared by several messages (internal to the codec).

#include "protocol/messages/common.h"

namespace bs::protocol {

template <class IO, class L>
void leaderIdAndEpochFields(IO& io, L& l) {
    io.int32("leaderId", l.leaderId);
    io.int32("leaderEpoch", l.leaderEpoch);
    io.tags();
}

}  // namespace bs::protocol
