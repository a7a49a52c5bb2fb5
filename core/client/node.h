#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bs::client {

// A broker endpoint. Bootstrap servers get negative ids (-1, -2, ...) until metadata names them.
struct Node {
    int32_t id = -1;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    friend bool operator==(const Node&, const Node&) = default;
    std::string toString() const {
        return host + ":" + std::to_string(port) + " (id " + std::to_string(id) + ")";
    }
};

}  // namespace bs::client
