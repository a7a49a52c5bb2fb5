#include "producer/serializers.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "common/json.h"
#include "common/text.h"

namespace bs::producer {

namespace {

constexpr std::string_view kPkg = "org.apache.kafka.common.serialization.";

const std::vector<SerializerInfo>& infos() {
    static const std::vector<SerializerInfo> all = {
        {"string", "org.apache.kafka.common.serialization.StringSerializer", "UTF-8 text"},
        {"short", "org.apache.kafka.common.serialization.ShortSerializer", "16-bit big-endian"},
        {"int", "org.apache.kafka.common.serialization.IntegerSerializer", "32-bit big-endian"},
        {"long", "org.apache.kafka.common.serialization.LongSerializer", "64-bit big-endian"},
        {"float", "org.apache.kafka.common.serialization.FloatSerializer",
         "IEEE 754 single, big-endian"},
        {"double", "org.apache.kafka.common.serialization.DoubleSerializer",
         "IEEE 754 double, big-endian"},
        {"bytes", "org.apache.kafka.common.serialization.ByteArraySerializer",
         "raw bytes (typed as hex)"},
        {"uuid", "org.apache.kafka.common.serialization.UUIDSerializer",
         "the 36-character UUID text, as Kafka writes it"},
        {"json", "org.apache.kafka.connect.json.JsonSerializer", "validated JSON text, UTF-8"},
        {"null", "org.apache.kafka.common.serialization.VoidSerializer", "always null"},
    };
    return all;
}

std::string_view typeName(const FieldValue& v) {
    switch (v.index()) {
        case 0:
            return "null";
        case 1:
            return "string";
        case 2:
            return "bytes";
        case 3:
            return "short";
        case 4:
            return "int";
        case 5:
            return "long";
        case 6:
            return "float";
        case 7:
            return "double";
    }
    return "?";
}

Error failure(std::string_view serializer, std::string_view what) {
    return Error{"serializer " + std::string(serializer) + ": " + std::string(what)};
}

template <class Int>
void putBigEndian(Int v, std::vector<uint8_t>& out) {
    using U = std::make_unsigned_t<Int>;
    const auto u = static_cast<U>(v);
    for (int shift = (sizeof(Int) - 1) * 8; shift >= 0; shift -= 8)
        out.push_back(static_cast<uint8_t>(u >> shift));
}

// An integer FieldValue (any integral alternative or decimal text) that fits Int.
template <class Int>
Result<Int> integral(std::string_view serializer, const FieldValue& v) {
    int64_t n = 0;
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::string_view t = *s;
        while (!t.empty() && t.front() == ' ')
            t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ')
            t.remove_suffix(1);
        if (!t.empty() && t.front() == '+') t.remove_prefix(1);
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if (t.empty() || ec == std::errc::invalid_argument || p != t.data() + t.size())
            return failure(serializer, "'" + *s + "' is not an integer");
        if (ec == std::errc::result_out_of_range)
            return failure(serializer, "'" + *s + "' is out of range");
    } else if (const auto* a = std::get_if<int16_t>(&v)) {
        n = *a;
    } else if (const auto* b = std::get_if<int32_t>(&v)) {
        n = *b;
    } else if (const auto* c = std::get_if<int64_t>(&v)) {
        n = *c;
    } else {
        return failure(serializer, "cannot serialize a " + std::string(typeName(v)) + " value");
    }
    if (n < std::numeric_limits<Int>::min() || n > std::numeric_limits<Int>::max())
        return failure(serializer, std::to_string(n) + " is out of range");
    return static_cast<Int>(n);
}

template <class F>
Result<F> floating(std::string_view serializer, const FieldValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::string_view t = *s;
        while (!t.empty() && t.front() == ' ')
            t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ')
            t.remove_suffix(1);
        if (!t.empty() && t.front() == '+') t.remove_prefix(1);
        F x{};
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        if (t.empty() || ec != std::errc() || p != t.data() + t.size())
            return failure(serializer, "'" + *s + "' is not a number");
        return x;
    }
    if (const auto* f = std::get_if<float>(&v)) return static_cast<F>(*f);
    if (const auto* d = std::get_if<double>(&v)) return static_cast<F>(*d);
    if (const auto* a = std::get_if<int16_t>(&v)) return static_cast<F>(*a);
    if (const auto* b = std::get_if<int32_t>(&v)) return static_cast<F>(*b);
    if (const auto* c = std::get_if<int64_t>(&v)) return static_cast<F>(*c);
    return failure(serializer, "cannot serialize a " + std::string(typeName(v)) + " value");
}

class BasicSerializer : public Serializer {
  public:
    explicit BasicSerializer(const SerializerInfo& info) : info_(info) {}
    std::string_view name() const override { return info_.name; }
    std::string_view javaClassName() const override { return info_.javaClassName; }

    std::optional<std::span<const uint8_t>> serializedView(const FieldValue& v) const override {
        if (passThrough_ == PassThrough::String) {
            const auto* s = std::get_if<std::string>(&v);
            if (s && invalidUtf8At(*s) == std::string_view::npos)
                return std::span(reinterpret_cast<const uint8_t*>(s->data()), s->size());
        } else if (passThrough_ == PassThrough::Bytes) {
            if (const auto* b = std::get_if<std::vector<uint8_t>>(&v)) return std::span(*b);
        }
        return std::nullopt;
    }

    Status serialize(std::string_view, const FieldValue& v, std::vector<uint8_t>& out,
                     bool& isNull) const override {
        out.clear();
        isNull = std::holds_alternative<std::nullptr_t>(v);
        if (isNull) return {};  // every Kafka serializer maps null to null
        const std::string_view n = info_.name;
        if (n == "string") {
            const auto* s = std::get_if<std::string>(&v);
            if (!s) return failure(n, "cannot serialize a " + std::string(typeName(v)) + " value");
            if (auto at = invalidUtf8At(*s); at != std::string_view::npos)
                return failure(n, "invalid UTF-8 at byte " + std::to_string(at));
            out.assign(s->begin(), s->end());
            return {};
        }
        if (n == "short") return put<int16_t>(n, v, out);
        if (n == "int") return put<int32_t>(n, v, out);
        if (n == "long") return put<int64_t>(n, v, out);
        if (n == "float") {
            auto f = floating<float>(n, v);
            if (!f) return f.error();
            putBigEndian(std::bit_cast<uint32_t>(*f), out);  // Java floatToRawIntBits
            return {};
        }
        if (n == "double") {
            auto d = floating<double>(n, v);
            if (!d) return d.error();
            putBigEndian(std::bit_cast<uint64_t>(*d), out);  // Java doubleToRawLongBits
            return {};
        }
        if (n == "bytes") {
            if (const auto* b = std::get_if<std::vector<uint8_t>>(&v)) {
                out = *b;
                return {};
            }
            if (const auto* s = std::get_if<std::string>(&v)) {
                auto bytes = parseHex(*s);
                if (!bytes) return failure(n, bytes.error().message);
                out = std::move(*bytes);
                return {};
            }
            return failure(n, "cannot serialize a " + std::string(typeName(v)) + " value");
        }
        if (n == "uuid") return uuid(v, out);
        if (n == "json") return json(v, out);
        // "null": Kafka's VoidSerializer only takes null.
        return failure(n, "only null can be serialized, got a " + std::string(typeName(v)));
    }

  private:
    template <class Int>
    static Status put(std::string_view n, const FieldValue& v, std::vector<uint8_t>& out) {
        auto x = integral<Int>(n, v);
        if (!x) return x.error();
        putBigEndian(*x, out);
        return {};
    }

    // Kafka's UUIDSerializer writes uuid.toString() in UTF-8: 36 lower-case characters.
    static Status uuid(const FieldValue& v, std::vector<uint8_t>& out) {
        const auto* s = std::get_if<std::string>(&v);
        if (!s) return failure("uuid", "cannot serialize a " + std::string(typeName(v)) + " value");
        std::string t = *s;
        while (!t.empty() && t.back() == ' ')
            t.pop_back();
        t.erase(
            0, t.find_first_not_of(' ') == std::string::npos ? t.size() : t.find_first_not_of(' '));
        if (t.size() != 36)
            return failure("uuid", "'" + *s + "' is not a UUID (8-4-4-4-12 hex digits)");
        for (size_t i = 0; i < t.size(); ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            const char c = t[i];
            if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c)))
                return failure("uuid", "'" + *s + "' is not a UUID (8-4-4-4-12 hex digits)");
            t[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        out.assign(t.begin(), t.end());
        return {};
    }

    static Status json(const FieldValue& v, std::vector<uint8_t>& out) {
        std::string text;
        if (const auto* s = std::get_if<std::string>(&v)) {
            if (auto st = validateJson(*s); !st) return failure("json", st.message());
            text = *s;
        } else if (const auto* a = std::get_if<int16_t>(&v)) {
            text = std::to_string(*a);
        } else if (const auto* b = std::get_if<int32_t>(&v)) {
            text = std::to_string(*b);
        } else if (const auto* c = std::get_if<int64_t>(&v)) {
            text = std::to_string(*c);
        } else if (std::holds_alternative<float>(v) || std::holds_alternative<double>(v)) {
            const double d =
                std::holds_alternative<float>(v) ? std::get<float>(v) : std::get<double>(v);
            if (!std::isfinite(d)) return failure("json", "NaN and infinity are not JSON numbers");
            char buf[32];
            auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
            text.assign(buf, p);
        } else {
            return failure("json", "cannot serialize a " + std::string(typeName(v)) + " value");
        }
        out.assign(text.begin(), text.end());
        return {};
    }

    enum class PassThrough : uint8_t { No, String, Bytes };
    const SerializerInfo& info_;
    const PassThrough passThrough_ = info_.name == "string"  ? PassThrough::String
                                     : info_.name == "bytes" ? PassThrough::Bytes
                                                             : PassThrough::No;
};

}  // namespace

std::span<const SerializerInfo> knownSerializers() {
    return infos();
}

Result<std::string> canonicalSerializerName(std::string_view nameOrClass) {
    std::string_view n = nameOrClass;
    while (!n.empty() && n.front() == ' ')
        n.remove_prefix(1);
    while (!n.empty() && n.back() == ' ')
        n.remove_suffix(1);
    for (const auto& info : infos()) {
        const std::string_view cls = info.javaClassName;
        const std::string_view shortCls = cls.substr(cls.rfind('.') + 1);
        if (n == info.name || n == cls || n == shortCls) return std::string(info.name);
    }
    // Kafka's other byte serializers and common spellings.
    if (n == "integer" || n == "IntegerSerializer") return std::string("int");
    for (std::string_view alias :
         {"ByteArraySerializer", "BytesSerializer", "ByteBufferSerializer"})
        if (n == alias || n == std::string(kPkg) + std::string(alias)) return std::string("bytes");
    return Error{"unknown serializer '" + std::string(nameOrClass) +
                 "' (use string, short, int, long, float, double, bytes, uuid, json, null or "
                 "the Kafka class name)"};
}

Result<std::unique_ptr<Serializer>> createSerializer(std::string_view nameOrClass) {
    auto name = canonicalSerializerName(nameOrClass);
    if (!name) return name.error();
    for (const auto& info : infos())
        if (info.name == *name)
            return std::unique_ptr<Serializer>(std::make_unique<BasicSerializer>(info));
    return Error{"unknown serializer '" + std::string(nameOrClass) + "'"};
}

}  // namespace bs::producer
