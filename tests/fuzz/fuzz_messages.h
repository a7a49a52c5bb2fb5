#pragma once

// For the protocol targets: the message type for an API key and the decode -> encode -> decode
// check.

#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "fuzz_common.h"
#include "protocol/frame.h"
#include "protocol/message_samples.h"
#include "protocol/writer.h"

namespace bs::fuzz {

// Calls f(std::type_identity<T>{}) for the request (or response) message type of `api`, the
// type list the codec tests use (tests/protocol/message_samples.h). False when none matches.
template <class F>
bool withMessageType(protocol::ApiKey api, bool request, F&& f) {
    bool found = false;
    protocol::samples::forEachMessageType([&](auto proto) {
        using T = typename decltype(proto)::type;
        const std::string_view name = protocol::samples::kName<T>;
        const bool isRequest = name.ends_with("Request");
        if (found || T::kApiKey != api || isRequest != request) return;
        found = true;
        f(proto);
    });
    return found;
}

template <class T>
std::vector<uint8_t> encoded(const T& m, int16_t version) {
    std::vector<uint8_t> out;
    protocol::Writer w(out);
    encode(m, version, w);
    return out;
}

// Whatever decodes must encode to bytes that decode to the same message: the decoder never
// accepts a value the encoder cannot represent. Returns whether `body` decoded.
template <class T>
bool checkRoundTrip(std::span<const uint8_t> body, int16_t version, T& m) {
    if (!protocol::decodeBody(m, version, body).ok()) return false;
    const std::vector<uint8_t> again = encoded(m, version);
    T m2;
    const Status s = protocol::decodeBody(m2, version, again);
    check(s.ok(), "re-encoded message does not decode");
    check(m2 == m, "re-encoded message decodes to a different value");
    // The encoding is canonical from here on.
    check(encoded(m2, version) == again, "second encoding differs from the first");
    return true;
}

}  // namespace bs::fuzz
