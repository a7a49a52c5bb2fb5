#include "common/json.h"

#include <nlohmann/json.hpp>

#include <string>

#include "common/text.h"

namespace bs {

namespace {

constexpr int kMaxDepth = 512;

// Accepts every value and only tracks nesting; nlohmann reports syntax errors to parse_error().
class Checker final : public nlohmann::json_sax<nlohmann::json> {
  public:
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return enter(); }
    bool key(string_t&) override { return true; }
    bool end_object() override { return --depth_, true; }
    bool start_array(std::size_t) override { return enter(); }
    bool end_array() override { return --depth_, true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& ex) override {
        // nlohmann counts the bytes read, so the offending byte is the last one read.
        const size_t at = position > 0 ? position - 1 : 0;
        std::string what = ex.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 8: syntax error ..."
        if (auto colon = what.find(": "); colon != std::string::npos) what.erase(0, colon + 2);
        error = "invalid JSON at byte " + std::to_string(at) + ": " + what;
        return false;
    }

    std::string error;

  private:
    bool enter() {
        if (++depth_ <= kMaxDepth) return true;
        error = "invalid JSON: more nesting than " + std::to_string(kMaxDepth) + " levels";
        return false;
    }
    int depth_ = 0;
};

}  // namespace

Status validateJson(std::string_view text) {
    // Checked first so the error names the byte (nlohmann only checks inside strings).
    if (auto at = invalidUtf8At(text); at != std::string_view::npos)
        return Error{"invalid UTF-8 at byte " + std::to_string(at)};
    // nlohmann's lexer takes a NUL byte for the end of input and would accept "1\0garbage";
    // RFC 8259 allows no raw NUL anywhere (found by fuzzing).
    if (auto at = text.find('\0'); at != std::string_view::npos)
        return Error{"invalid JSON at byte " + std::to_string(at) + ": NUL byte"};
    Checker checker;
    if (nlohmann::json::sax_parse(text.begin(), text.end(), &checker)) return {};
    return Error{checker.error.empty() ? std::string("invalid JSON") : checker.error};
}

}  // namespace bs
