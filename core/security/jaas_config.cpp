#include "security/jaas_config.h"

#include <cctype>
#include <optional>

namespace bs::security {
namespace {

struct Token {
    enum class Kind { Word, Quoted, Equals, Semicolon, End } kind = Kind::End;
    std::string text;
    size_t position = 0;
};

class Tokenizer {
  public:
    explicit Tokenizer(std::string_view s) : s_(s) {}

    Result<Token> next() {
        skipSpaceAndComments();
        Token t;
        t.position = pos_;
        if (!error_.empty()) return Error{error_};
        if (pos_ >= s_.size()) return t;
        const char c = s_[pos_];
        if (c == '=' || c == ';') {
            ++pos_;
            t.kind = c == '=' ? Token::Kind::Equals : Token::Kind::Semicolon;
            return t;
        }
        if (c == '"' || c == '\'') return quoted(c, t);
        if (!isWordChar(c)) {
            return Error{"sasl.jaas.config: unexpected character '" + std::string(1, c) +
                         "' at position " + std::to_string(pos_)};
        }
        t.kind = Token::Kind::Word;
        while (pos_ < s_.size() && isWordChar(s_[pos_]))
            t.text += s_[pos_++];
        return t;
    }

  private:
    static bool isWordChar(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
               c == '$' || c == '{' || c == '}' || c == '/' || c == ':' ||
               static_cast<unsigned char>(c) >= 0x80;
    }

    void skipSpaceAndComments() {
        while (pos_ < s_.size()) {
            if (std::isspace(static_cast<unsigned char>(s_[pos_]))) {
                ++pos_;
            } else if (s_.substr(pos_, 2) == "//") {
                const size_t nl = s_.find('\n', pos_);
                pos_ = nl == std::string_view::npos ? s_.size() : nl + 1;
            } else if (s_.substr(pos_, 2) == "/*") {
                const size_t end = s_.find("*/", pos_ + 2);
                if (end == std::string_view::npos) {
                    error_ = "sasl.jaas.config: unterminated comment at position " +
                             std::to_string(pos_);
                    pos_ = s_.size();
                    return;
                }
                pos_ = end + 2;
            } else {
                return;
            }
        }
    }

    Result<Token> quoted(char quote, Token& t) {
        const size_t start = pos_++;
        t.kind = Token::Kind::Quoted;
        while (pos_ < s_.size() && s_[pos_] != quote) {
            if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
            t.text += s_[pos_++];
        }
        if (pos_ >= s_.size()) {
            return Error{"sasl.jaas.config: unterminated quoted value starting at position " +
                         std::to_string(start)};
        }
        ++pos_;
        return std::move(t);
    }

    std::string_view s_;
    size_t pos_ = 0;
    std::string error_;
};

Error expected(const std::string& what, const Token& t) {
    return Error{"sasl.jaas.config: expected " + what + " at position " +
                 std::to_string(t.position)};
}

}  // namespace

Result<JaasConfig> parseJaasConfig(std::string_view text) {
    Tokenizer tokens(text);
    auto module = tokens.next();
    if (!module) return module.error();
    if (module->kind == Token::Kind::End) {
        return Error{"sasl.jaas.config: empty; expected e.g. " + std::string(kScramLoginModule) +
                     " required username=\"...\" password=\"...\";"};
    }
    if (module->kind != Token::Kind::Word) return expected("a login module class name", *module);
    JaasConfig config;
    config.loginModule = module->text;
    auto flag = tokens.next();
    if (!flag) return flag.error();
    if (flag->kind != Token::Kind::Word ||
        (flag->text != "required" && flag->text != "requisite" && flag->text != "sufficient" &&
         flag->text != "optional")) {
        return expected("a control flag (required, requisite, sufficient or optional)", *flag);
    }
    config.controlFlag = flag->text;
    for (;;) {
        auto key = tokens.next();
        if (!key) return key.error();
        if (key->kind == Token::Kind::Semicolon) break;
        if (key->kind == Token::Kind::End) return expected("';' after the login module", *key);
        if (key->kind != Token::Kind::Word) return expected("an option name", *key);
        auto eq = tokens.next();
        if (!eq) return eq.error();
        if (eq->kind != Token::Kind::Equals) return expected("'=' after " + key->text, *eq);
        auto value = tokens.next();
        if (!value) return value.error();
        if (value->kind != Token::Kind::Word && value->kind != Token::Kind::Quoted) {
            return expected("a value for " + key->text, *value);
        }
        config.options[key->text] = std::move(value->text);
    }
    auto rest = tokens.next();
    if (!rest) return rest.error();
    if (rest->kind != Token::Kind::End) {
        return Error{
            "sasl.jaas.config: must contain exactly one login module; more text at "
            "position " +
            std::to_string(rest->position)};
    }
    return config;
}

}  // namespace bs::security
