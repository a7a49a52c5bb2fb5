#pragma once

// The declarative message layer: each message is described once as
//   template <class IO, class M> void fields(IO& io, M& m, int16_t version)
// where IO is an Encoder (M is const) or a Decoder (M is mutable). Both have the same method
// names, so the description serves both directions. Classic vs compact encodings of strings,
// arrays and bytes are chosen by the IO's `flexible` flag; tagged fields are declared with
// tags() and are written only when present (std::optional) and read when known, skipped when not.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/api_keys.h"
#include "protocol/errors.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

namespace bs::protocol {

class Encoder {
  public:
    Encoder(Writer& w, bool flexible) : w_(w), flexible_(flexible) {}
    bool flexible() const { return flexible_; }

    void boolean(const char*, bool v) { w_.boolean(v); }
    void int8(const char*, int8_t v) { w_.int8(v); }
    void int16(const char*, int16_t v) { w_.int16(v); }
    void int32(const char*, int32_t v) { w_.int32(v); }
    void int64(const char*, int64_t v) { w_.int64(v); }
    void float64(const char*, double v) { w_.float64(v); }
    void errorCode(const char*, ErrorCode v) { w_.int16(static_cast<int16_t>(v)); }
    void uuid(const char*, const Uuid& v) { w_.uuid(v); }
    void string(const char*, const std::string& s) {
        flexible_ ? w_.compactString(s) : w_.string(s);
    }
    void nullableString(const char*, const std::optional<std::string>& s) {
        flexible_ ? w_.compactNullableString(s) : w_.nullableString(s);
    }
    // A nullable wire string kept as a plain string (null read as ""); written non-null.
    void stringOrNull(const char* f, const std::string& s) { string(f, s); }
    // A field that became nullable in a later version: before that, null is sent as "".
    void nullableString(const char* f, const std::optional<std::string>& s, bool nullable) {
        if (nullable) return nullableString(f, s);
        string(f, s.value_or(std::string()));
    }
    void bytes(const char*, const std::vector<uint8_t>& b) {
        flexible_ ? w_.compactBytes(b) : w_.bytes(b);
    }
    // The bytes go through rawRef(): a gathering Writer sends batches from their own buffers.
    void records(const char*, const RecordsView& r) {
        if (r.isNull) return flexible_ ? w_.uvarint(0) : w_.int32(-1);
        if (flexible_)
            w_.uvarint(static_cast<uint32_t>(r.bytes.size() + 1));
        else
            w_.int32(static_cast<int32_t>(r.bytes.size()));
        w_.rawRef(r.bytes);
    }
    template <class T, class F>
    void array(const char*, const std::vector<T>& v, F&& each) {
        length(static_cast<int32_t>(v.size()));
        for (const T& e : v)
            each(e);
    }
    template <class T, class F>
    void nullableArray(const char* f, const std::optional<std::vector<T>>& v, F&& each) {
        if (!v) return length(-1);
        array(f, *v, std::forward<F>(each));
    }
    // An array that became nullable in a later version: before that, null is sent as empty.
    template <class T, class F>
    void nullableArray(const char* f, const std::optional<std::vector<T>>& v, F&& each,
                       bool nullable) {
        if (nullable || v) return nullableArray(f, v, std::forward<F>(each));
        length(0);
    }
    void int32Array(const char* f, const std::vector<int32_t>& v) {
        array(f, v, [&](int32_t x) { w_.int32(x); });
    }

    // Collects the present tagged fields, then writes count + (tag, size, value) entries.
    class Tags {
      public:
        template <class T, class F>
        void field(uint32_t tag, const std::optional<T>& v, F&& body) {
            if (!v) return;
            std::vector<uint8_t> value;
            Writer vw(value);
            Encoder e(vw, true);
            body(e, *v);
            Writer sw(scratch_);
            sw.uvarint(tag);
            sw.uvarint(static_cast<uint32_t>(value.size()));
            sw.raw(value);
            ++count_;
        }

      private:
        friend class Encoder;
        std::vector<uint8_t> scratch_;
        uint32_t count_ = 0;
    };
    template <class F>
    void tags(F&& declare) {
        if (!flexible_) return;
        Tags t;
        declare(t);
        w_.uvarint(t.count_);
        w_.raw(t.scratch_);
    }
    void tags() {
        if (flexible_) w_.emptyTaggedFields();
    }

  private:
    void length(int32_t n) { flexible_ ? w_.compactArrayLength(n) : w_.arrayLength(n); }
    Writer& w_;
    bool flexible_;
};

class Decoder {
  public:
    Decoder(Reader& r, bool flexible) : r_(r), flexible_(flexible) {}
    bool flexible() const { return flexible_; }
    bool ok() const { return r_.ok(); }
    Reader& reader() { return r_; }

    void boolean(const char* f, bool& v) { v = r_.boolean(f); }
    void int8(const char* f, int8_t& v) { v = r_.int8(f); }
    void int16(const char* f, int16_t& v) { v = r_.int16(f); }
    void int32(const char* f, int32_t& v) { v = r_.int32(f); }
    void int64(const char* f, int64_t& v) { v = r_.int64(f); }
    void float64(const char* f, double& v) { v = r_.float64(f); }
    void errorCode(const char* f, ErrorCode& v) { v = static_cast<ErrorCode>(r_.int16(f)); }
    void uuid(const char* f, Uuid& v) { v = r_.uuid(f); }
    void string(const char* f, std::string& s) {
        s = flexible_ ? r_.compactString(f) : r_.string(f);
    }
    void nullableString(const char* f, std::optional<std::string>& s) {
        s = flexible_ ? r_.compactNullableString(f) : r_.nullableString(f);
    }
    void stringOrNull(const char* f, std::string& s) {
        std::optional<std::string> v;
        nullableString(f, v);
        s = std::move(v).value_or(std::string());
    }
    void nullableString(const char* f, std::optional<std::string>& s, bool nullable) {
        if (nullable) return nullableString(f, s);
        s.emplace();
        string(f, *s);
    }
    void bytes(const char* f, std::vector<uint8_t>& b) {
        const auto view = flexible_ ? r_.compactBytes(f) : r_.bytes(f);
        b.assign(view.begin(), view.end());
    }
    void records(const char* f, RecordsView& r) {
        r = flexible_ ? r_.compactNullableBytes(f) : r_.nullableBytes(f);
    }
    template <class T, class F>
    void array(const char* f, std::vector<T>& v, F&& each) {
        int32_t n = length(f, false);
        fill(v, n, each);
    }
    template <class T, class F>
    void nullableArray(const char* f, std::optional<std::vector<T>>& v, F&& each) {
        int32_t n = length(f, true);
        if (n < 0 || !r_.ok()) {
            v.reset();
            return;
        }
        v.emplace();
        fill(*v, n, each);
    }
    template <class T, class F>
    void nullableArray(const char* f, std::optional<std::vector<T>>& v, F&& each, bool nullable) {
        if (nullable) return nullableArray(f, v, std::forward<F>(each));
        array(f, v.emplace(), std::forward<F>(each));
    }
    void int32Array(const char* f, std::vector<int32_t>& v) {
        array(f, v, [&](int32_t& x) { x = r_.int32(f); });
    }

    // Offered each tagged field in turn; field() decodes it when the tag matches.
    class Tags {
      public:
        template <class T, class F>
        void field(uint32_t tag, std::optional<T>& v, F&& body) {
            if (tag != tag_) return;
            // Not emplace(): clang 14 evaluates is_constructible<T> for a nested struct with
            // member initializers while the enclosing message is incomplete, and caches "false".
            v = T{};
            body(d_, *v);
            matched_ = true;
        }

      private:
        friend class Decoder;
        Tags(uint32_t tag, Decoder& d) : tag_(tag), d_(d) {}
        uint32_t tag_;
        Decoder& d_;
        bool matched_ = false;
    };
    template <class F>
    void tags(F&& declare) {
        if (!flexible_) return;
        uint32_t n = r_.uvarint("tagged field count");
        for (uint32_t i = 0; i < n && r_.ok(); ++i) {
            uint32_t tag = r_.uvarint("tagged field tag");
            uint32_t size = r_.uvarint("tagged field size");
            size_t start = r_.position();
            std::span<const uint8_t> value = r_.raw("tagged field value", size);
            if (!r_.ok()) return;
            Reader sub(value);
            Decoder d(sub, true);
            Tags t(tag, d);
            declare(t);
            if (!sub.ok()) {
                r_.fail("tagged field", "tag " + std::to_string(tag) + " at offset " +
                                            std::to_string(start) + ": " + sub.error());
            }
        }
    }
    void tags() {
        if (flexible_) r_.skipTaggedFields("tagged fields");
    }

  private:
    int32_t length(const char* f, bool nullable) {
        return flexible_ ? r_.compactArrayLength(f, nullable) : r_.arrayLength(f, nullable);
    }
    template <class T, class F>
    void fill(std::vector<T>& v, int32_t n, F& each) {
        v.clear();
        if (n <= 0 || !r_.ok()) return;
        // Grow as elements actually decode: an untrusted count never sizes an allocation.
        v.reserve(std::min<size_t>(static_cast<size_t>(n), 64));
        for (int32_t i = 0; i < n && r_.ok(); ++i)
            each(v.emplace_back());
    }
    Reader& r_;
    bool flexible_;
};

// Runs a message description over an Encoder / a Decoder. Decoding resets `m` first, checks the
// version against our supported range and names the message in errors.
template <class M, class Fields>
void encodeMessage(const M& m, ApiKey api, int16_t version, Writer& w, Fields&& fields) {
    Encoder e(w, isFlexible(api, version));
    fields(e, m, version);
}

template <class M, class Fields>
Status decodeMessage(M& m, ApiKey api, int16_t version, Reader& r, const char* what,
                     Fields&& fields) {
    m = M{};
    if (!isSupported(api, version)) {
        return Error{std::string(what) + ": unsupported version " + std::to_string(version)};
    }
    Decoder d(r, isFlexible(api, version));
    fields(d, m, version);
    if (!r.ok())
        return Error{std::string(what) + " v" + std::to_string(version) + ": " + r.error()};
    return {};
}

// Defines encode()/decode() for message type T from a description template `fn`.
#define BS_PROTOCOL_MESSAGE_CODEC(T, api, fn)                                                  \
    void encode(const T& m, int16_t version, Writer& w) {                                      \
        encodeMessage(m, api, version, w, [](auto& io, auto& x, int16_t v) { fn(io, x, v); }); \
    }                                                                                          \
    Status decode(T& m, int16_t version, Reader& r) {                                          \
        return decodeMessage(m, api, version, r, #T,                                           \
                             [](auto& io, auto& x, int16_t v) { fn(io, x, v); });              \
    }

}  // namespace bs::protocol
