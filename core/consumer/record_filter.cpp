#include "consumer/record_filter.h"

#include <boost/regex.hpp>
#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

namespace bs::consumer {

namespace {

std::string_view text(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string_view text(const std::optional<Bytes>& b) {
    return b ? text(*b) : std::string_view();
}

enum class Op { Exists, Eq, Ne, Lt, Le, Gt, Ge, Contains };

bool sameJson(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() &&
            !b.is_number_unsigned())
            return a.get<int64_t>() == b.get<int64_t>();
        return a.get<double>() == b.get<double>();
    }
    return a == b;
}

// -1, 0, 1, or nullopt when the two cannot be ordered (not two numbers, not two strings).
std::optional<int> order(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.is_number() && b.is_number()) {
        if (sameJson(a, b)) return 0;
        return a.get<double>() < b.get<double>() ? -1 : 1;
    }
    if (a.is_string() && b.is_string()) {
        const int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    return std::nullopt;
}

}  // namespace

bool RecordFilterSpec::empty() const {
    return !keyEquals && !keyContains && !valueContains && !valueRegex && !headerName &&
           !headerValue && !jsonPath && !timestampFrom && !timestampTo;
}

// ---------------------------------------------------------------------------------- JsonPath

struct JsonPath::Impl {
    std::vector<std::variant<std::string, size_t>> steps;
    Op op = Op::Exists;
    nlohmann::json literal;

    bool evaluate(const nlohmann::json& doc) const {
        const nlohmann::json* at = &doc;
        for (const auto& step : steps) {
            if (const auto* name = std::get_if<std::string>(&step)) {
                if (!at->is_object()) return op == Op::Ne;
                const auto it = at->find(*name);
                if (it == at->end()) return op == Op::Ne;
                at = &*it;
            } else {
                const size_t i = std::get<size_t>(step);
                if (!at->is_array() || i >= at->size()) return op == Op::Ne;
                at = &(*at)[i];
            }
        }
        switch (op) {
            case Op::Exists:
                return !at->is_null();
            case Op::Eq:
                return sameJson(*at, literal);
            case Op::Ne:
                return !sameJson(*at, literal);
            case Op::Lt:
                return order(*at, literal) == -1;
            case Op::Le: {
                const auto o = order(*at, literal);
                return o && *o <= 0;
            }
            case Op::Gt:
                return order(*at, literal) == 1;
            case Op::Ge: {
                const auto o = order(*at, literal);
                return o && *o >= 0;
            }
            case Op::Contains:
                if (at->is_string() && literal.is_string())
                    return at->get_ref<const std::string&>().find(
                               literal.get_ref<const std::string&>()) != std::string::npos;
                if (at->is_array())
                    for (const auto& e : *at)
                        if (sameJson(e, literal)) return true;
                return false;
        }
        return false;
    }
};

JsonPath::JsonPath(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;
JsonPath::~JsonPath() = default;

Result<JsonPath> JsonPath::parse(std::string_view expr) {
    auto impl = std::make_unique<Impl>();
    size_t i = 0;
    auto fail = [&](const std::string& why) {
        return Error{"JSON path '" + std::string(expr) + "': " + why + " at column " +
                     std::to_string(i + 1)};
    };
    auto skipSpace = [&] {
        while (i < expr.size() && (expr[i] == ' ' || expr[i] == '\t'))
            ++i;
    };
    skipSpace();
    if (i >= expr.size() || expr[i] != '$') return fail("expected '$' (the document)");
    ++i;
    while (i < expr.size() && (expr[i] == '.' || expr[i] == '[')) {
        if (expr[i] == '.') {
            ++i;
            const size_t start = i;
            while (i < expr.size() &&
                   std::string_view(" \t.[]=!<>\"").find(expr[i]) == std::string_view::npos)
                ++i;
            if (i == start) return fail("expected a field name after '.'");
            impl->steps.emplace_back(std::string(expr.substr(start, i - start)));
            continue;
        }
        ++i;  // '['
        if (i < expr.size() && expr[i] == '"') {
            const size_t close = expr.find('"', i + 1);
            if (close == std::string_view::npos) return fail("unterminated quoted name");
            impl->steps.emplace_back(std::string(expr.substr(i + 1, close - i - 1)));
            i = close + 1;
        } else {
            const size_t start = i;
            size_t index = 0;
            while (i < expr.size() && expr[i] >= '0' && expr[i] <= '9' && i - start < 9)
                index = index * 10 + static_cast<size_t>(expr[i++] - '0');
            if (i == start) return fail("expected an array index (0, 1, ...) or a \"name\"");
            impl->steps.emplace_back(index);
        }
        if (i >= expr.size() || expr[i] != ']') return fail("expected ']'");
        ++i;
    }
    skipSpace();
    if (i == expr.size()) return JsonPath(std::move(impl));
    static constexpr std::pair<std::string_view, Op> ops[] = {{"==", Op::Eq},
                                                              {"!=", Op::Ne},
                                                              {"<=", Op::Le},
                                                              {">=", Op::Ge},
                                                              {"<", Op::Lt},
                                                              {">", Op::Gt},
                                                              {"contains", Op::Contains}};
    bool found = false;
    for (const auto& [token, op] : ops)
        if (expr.substr(i, token.size()) == token) {
            impl->op = op;
            i += token.size();
            found = true;
            break;
        }
    if (!found) return fail("expected '.', '[' or an operator (== != < <= > >= contains)");
    skipSpace();
    if (i == expr.size()) return fail("expected a JSON value (42, \"text\", true, null)");
    impl->literal = nlohmann::json::parse(expr.substr(i), nullptr, false);
    if (impl->literal.is_discarded() || impl->literal.is_object() || impl->literal.is_array())
        return fail("expected a JSON value (42, \"text\", true, null)");
    return JsonPath(std::move(impl));
}

bool JsonPath::matches(std::string_view json) const {
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    return !doc.is_discarded() && impl_->evaluate(doc);
}

// ------------------------------------------------------------------------------ RecordFilter

struct RecordFilter::Impl {
    RecordFilterSpec spec;
    std::optional<boost::regex> regex;
    std::optional<JsonPath> path;
};

RecordFilter::RecordFilter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecordFilter::RecordFilter(RecordFilter&&) noexcept = default;
RecordFilter& RecordFilter::operator=(RecordFilter&&) noexcept = default;
RecordFilter::~RecordFilter() = default;

Result<RecordFilter> RecordFilter::create(const RecordFilterSpec& spec) {
    auto impl = std::make_unique<Impl>();
    impl->spec = spec;
    if (spec.valueRegex) {
        try {
            impl->regex.emplace(*spec.valueRegex, boost::regex::perl);
        } catch (const boost::regex_error& e) {
            return Error{"regular expression '" + *spec.valueRegex + "': " + e.what()};
        }
    }
    if (spec.jsonPath) {
        auto p = JsonPath::parse(*spec.jsonPath);
        if (!p) return p.error();
        impl->path.emplace(std::move(*p));
    }
    if (spec.timestampFrom && spec.timestampTo && *spec.timestampFrom > *spec.timestampTo)
        return Error{"timestamp range: from " + std::to_string(*spec.timestampFrom) +
                     " is after to " + std::to_string(*spec.timestampTo)};
    return RecordFilter(std::move(impl));
}

bool RecordFilter::matches(const ConsumerRecord& r) const {
    const RecordFilterSpec& s = impl_->spec;
    if (s.timestampFrom && r.timestamp < *s.timestampFrom) return false;
    if (s.timestampTo && r.timestamp > *s.timestampTo) return false;
    const std::string_view key = text(r.key);
    if (s.keyEquals && (!r.key || key != *s.keyEquals)) return false;
    if (s.keyContains && (!r.key || key.find(*s.keyContains) == std::string_view::npos))
        return false;
    const std::string_view value = text(r.value);
    if (s.valueContains && (!r.value || value.find(*s.valueContains) == std::string_view::npos))
        return false;
    if (s.headerName || s.headerValue) {
        bool any = false;
        for (const Header& h : r.headers) {
            if (s.headerName && h.key != *s.headerName) continue;
            if (s.headerValue &&
                (!h.value || text(*h.value).find(*s.headerValue) == std::string_view::npos))
                continue;
            any = true;
            break;
        }
        if (!any) return false;
    }
    if (impl_->regex) {
        if (!r.value) return false;
        try {
            if (!boost::regex_search(value.begin(), value.end(), *impl_->regex)) return false;
        } catch (const std::runtime_error&) {
            return false;  // too complex for this value (Boost.Regex's bound): not a match
        }
    }
    if (impl_->path && (!r.value || !impl_->path->matches(value))) return false;
    return true;
}

}  // namespace bs::consumer
