#pragma once

// Checks externally produced byte vectors against our codec: the bytes must decode (strictly)
// to the expected value, and the expected value must encode to exactly those bytes.

#include <QtTest>

#include <string>
#include <vector>

#include "message_samples.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol::vector_check {

template <class T>
void check(const char* source, const char* message, int16_t version,
           const std::vector<uint8_t>& bytes, const T& expected) {
    const QString what = QString("%1: %2 v%3").arg(source).arg(message).arg(version);
    Reader r(bytes);
    T decoded;
    bs::Status s = decode(decoded, version, r);
    QVERIFY2(s.ok(), qPrintable(what + ": " + s.message().c_str()));
    QVERIFY2(r.atEnd(), qPrintable(what + " left bytes unread"));
    QVERIFY2(decoded == expected, qPrintable(what + " decodes to other values"));
    std::vector<uint8_t> ours;
    Writer w(ours);
    encode(expected, version, w);
    QVERIFY2(ours == bytes, qPrintable(what + " encodes to other bytes"));
}

// Calls f(T{}) for the message type whose Kafka name is `message`; false if there is none.
template <class F>
bool withMessageType(const std::string& message, F&& f) {
    bool found = false;
    samples::forEachMessageType([&](auto proto) {
        using T = typename decltype(proto)::type;
        if (!found && message == samples::kName<T>) {
            found = true;
            f(proto);
        }
    });
    return found;
}

}  // namespace bs::protocol::vector_check
