#pragma once

// Helpers for golden byte-vector tests.

#include <cstdint>
#include <string_view>
#include <vector>

namespace bs::protocol::golden {

using Bytes = std::vector<uint8_t>;

// Concatenates byte lists and ASCII text pieces: cat({0, 1}, "ab") == {0, 1, 'a', 'b'}.
inline void append(Bytes& out, const Bytes& b) {
    out.insert(out.end(), b.begin(), b.end());
}
inline void append(Bytes& out, std::string_view s) {
    out.insert(out.end(), s.begin(), s.end());
}
template <class... Parts>
Bytes cat(const Parts&... parts) {
    Bytes out;
    (append(out, parts), ...);
    return out;
}

}  // namespace bs::protocol::golden
