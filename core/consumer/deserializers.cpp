#include "consumer/deserializers.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/json.h"
#include "common/text.h"

namespace bs::consumer {

namespace {

constexpr std::string_view kPkg = "org.apache.kafka.common.serialization.";

constexpr DeserializerInfo kInfos[] = {
    {"string", "org.apache.kafka.common.serialization.StringDeserializer", "UTF-8 text"},
    {"short", "org.apache.kafka.common.serialization.ShortDeserializer", "16-bit big-endian"},
    {"int", "org.apache.kafka.common.serialization.IntegerDeserializer", "32-bit big-endian"},
    {"long", "org.apache.kafka.common.serialization.LongDeserializer", "64-bit big-endian"},
    {"float", "org.apache.kafka.common.serialization.FloatDeserializer", "IEEE 754 32-bit"},
    {"double", "org.apache.kafka.common.serialization.DoubleDeserializer", "IEEE 754 64-bit"},
    {"bytes", "org.apache.kafka.common.serialization.ByteArrayDeserializer", "hex"},
    {"uuid", "org.apache.kafka.common.serialization.UUIDDeserializer", "36-character UUID text"},
    {"json", "org.apache.kafka.connect.json.JsonDeserializer", "JSON text"},
    {"null", "org.apache.kafka.common.serialization.VoidDeserializer", "always null"},
};

uint64_t readBigEndian(std::span<const uint8_t> d) {
    uint64_t v = 0;
    for (uint8_t b : d)
        v = (v << 8) | b;
    return v;
}

// Formats shortest round-trip digits the way Java's Double/Float.toString does.
template <class F>
std::string javaFloatingToString(F v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view s(buf, static_cast<size_t>(res.ptr - buf));  // "-1.2345e+06"
    std::string out;
    if (s.front() == '-') {
        out += '-';
        s.remove_prefix(1);
    }
    const size_t e = s.find('e');
    std::string digits;
    for (char c : s.substr(0, e))
        if (c != '.') digits += c;
    int exp = 0;
    std::string_view es = s.substr(e + 1);
    if (!es.empty() && es.front() == '+') es.remove_prefix(1);
    std::from_chars(es.data(), es.data() + es.size(), exp);
    while (digits.size() > 1 && digits.back() == '0')
        digits.pop_back();
    if (exp >= -3 && exp < 7) {
        if (exp < 0) {
            out += "0.";
            out.append(static_cast<size_t>(-exp - 1), '0');
            out += digits;
        } else {
            const size_t intLen = static_cast<size_t>(exp) + 1;
            if (digits.size() <= intLen) {
                out += digits;
                out.append(intLen - digits.size(), '0');
                out += ".0";
            } else {
                out += digits.substr(0, intLen);
                out += '.';
                out += digits.substr(intLen);
            }
        }
    } else {
        out += digits[0];
        out += '.';
        out += digits.size() > 1 ? digits.substr(1) : "0";
        out += 'E';
        out += std::to_string(exp);
    }
    return out;
}

class BasicDeserializer final : public Deserializer {
  public:
    explicit BasicDeserializer(const DeserializerInfo& info) : info_(info) {}
    std::string_view name() const override { return info_.name; }
    std::string_view javaClassName() const override { return info_.javaClassName; }

    Status deserialize(std::span<const uint8_t> d, std::string& out) const override {
        const std::string_view n = info_.name;
        const std::string_view text(reinterpret_cast<const char*>(d.data()), d.size());
        if (n == "string") {
            out += text;
        } else if (n == "short") {
            if (Status s = size(d, 2); !s.ok()) return s;
            out += std::to_string(static_cast<int16_t>(readBigEndian(d)));
        } else if (n == "int") {
            if (Status s = size(d, 4); !s.ok()) return s;
            out += std::to_string(static_cast<int32_t>(readBigEndian(d)));
        } else if (n == "long") {
            if (Status s = size(d, 8); !s.ok()) return s;
            out += std::to_string(static_cast<int64_t>(readBigEndian(d)));
        } else if (n == "float") {
            if (Status s = size(d, 4); !s.ok()) return s;
            const auto bits = static_cast<uint32_t>(readBigEndian(d));
            float f;
            std::memcpy(&f, &bits, sizeof f);
            out += javaFloatToString(f);
        } else if (n == "double") {
            if (Status s = size(d, 8); !s.ok()) return s;
            const uint64_t bits = readBigEndian(d);
            double f;
            std::memcpy(&f, &bits, sizeof f);
            out += javaDoubleToString(f);
        } else if (n == "bytes") {
            out += toHex(d);
        } else if (n == "uuid") {
            if (Status s = validUuid(text); !s.ok()) return s;
            for (char c : text)
                out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (n == "json") {
            if (Status s = validateJson(text); !s.ok())
                return Error{"JsonDeserializer: " + s.message()};
            out += text;
        } else {
            return Error{"VoidDeserializer: data should be null, got " + std::to_string(d.size()) +
                         " bytes"};
        }
        return {};
    }

  private:
    Status size(std::span<const uint8_t> d, size_t want) const {
        if (d.size() == want) return {};
        const std::string_view cls = info_.javaClassName.substr(info_.javaClassName.rfind('.') + 1);
        return Error{"Size of data received by " + std::string(cls) + " is not " +
                     std::to_string(want) + " (got " + std::to_string(d.size()) + " bytes)"};
    }
    static Status validUuid(std::string_view t) {
        bool ok = t.size() == 36;
        for (size_t i = 0; ok && i < t.size(); ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            ok = dash ? t[i] == '-' : std::isxdigit(static_cast<unsigned char>(t[i])) != 0;
        }
        if (ok) return {};
        return Error{"UUIDDeserializer: not a UUID string: '" + std::string(t.substr(0, 64)) + "'"};
    }

    const DeserializerInfo& info_;
};

}  // namespace

std::string javaDoubleToString(double v) {
    return javaFloatingToString(v);
}
std::string javaFloatToString(float v) {
    return javaFloatingToString(v);
}

std::span<const DeserializerInfo> knownDeserializers() {
    return kInfos;
}

Result<std::string> canonicalDeserializerName(std::string_view nameOrClass) {
    std::string_view n = nameOrClass;
    while (!n.empty() && n.front() == ' ')
        n.remove_prefix(1);
    while (!n.empty() && n.back() == ' ')
        n.remove_suffix(1);
    for (const auto& info : kInfos) {
        const std::string_view cls = info.javaClassName;
        const std::string_view simple = cls.substr(cls.rfind('.') + 1);
        if (n == info.name || n == cls || n == simple) return std::string(info.name);
    }
    if (n == "integer") return std::string("int");
    for (std::string_view alias : {"BytesDeserializer", "ByteBufferDeserializer"})
        if (n == alias || n == std::string(kPkg) + std::string(alias)) return std::string("bytes");
    return Error{"unknown deserializer '" + std::string(nameOrClass) +
                 "' (use string, short, int, long, float, double, bytes, uuid, json, null or the "
                 "Kafka class name)"};
}

Result<std::unique_ptr<Deserializer>> createDeserializer(std::string_view nameOrClass) {
    auto name = canonicalDeserializerName(nameOrClass);
    if (!name) return name.error();
    for (const auto& info : kInfos)
        if (info.name == *name)
            return std::unique_ptr<Deserializer>(std::make_unique<BasicDeserializer>(info));
    return Error{"unknown deserializer '" + std::string(nameOrClass) + "'"};
}

}  // namespace bs::consumer
