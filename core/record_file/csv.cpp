#include "record_file/csv.h"

#include <csv.h>

#include <charconv>
#include <limits>
#include <set>

#include "record_file/field_codec.h"

namespace bs::recordfile {

struct CsvParser::Impl {
    csv_parser parser{};
    bool inRow = false;  // a row has started and not ended (a quoted field may span lines)
    int64_t rowLine = 0;
    CsvRow row;
    std::optional<CsvRow> done;

    Impl() { reset(); }
    ~Impl() { csv_free(&parser); }
    void reset() {
        csv_free(&parser);
        parser = {};
        csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
        // RFC 4180: spaces are part of a field (libcsv trims them by default).
        csv_set_space_func(&parser, [](unsigned char) { return 0; });
        inRow = false;
        row = {};
    }
    static void onField(void* s, size_t len, void* data) {
        auto* self = static_cast<Impl*>(data);
        if (s)
            self->row.fields.emplace_back(std::string(static_cast<const char*>(s), len));
        else
            self->row.fields.emplace_back(std::nullopt);
    }
    static void onRow(int, void* data) {
        auto* self = static_cast<Impl*>(data);
        self->row.line = self->rowLine;
        self->done = std::move(self->row);
        self->row = {};
        self->inRow = false;
    }
};

CsvParser::CsvParser() : impl_(std::make_unique<Impl>()) {}
CsvParser::~CsvParser() = default;

Result<std::optional<CsvRow>> CsvParser::feed(std::string_view line, int64_t lineNumber) {
    Impl& m = *impl_;
    if (!m.inRow) {
        // Blank lines between rows are skipped (libcsv would too).
        if (line.empty() || line == "\r") return std::optional<CsvRow>();
        m.inRow = true;
        m.rowLine = lineNumber;
    }
    m.done.reset();
    std::string chunk(line);
    chunk += '\n';
    const size_t used =
        csv_parse(&m.parser, chunk.data(), chunk.size(), &Impl::onField, &Impl::onRow, &m);
    if (used != chunk.size()) {
        const int64_t started = m.rowLine;
        m.reset();
        std::string where =
            "line " + std::to_string(lineNumber) + ", character " + std::to_string(used + 1);
        if (started != lineNumber)
            where += " (in the row that starts on line " + std::to_string(started) + ")";
        return Error{where +
                     ": malformed CSV: a quote inside an unquoted field, or text after "
                     "a closing quote"};
    }
    return std::move(m.done);
}

int64_t CsvParser::openRowLine() const {
    return impl_->inRow ? impl_->rowLine : 0;
}

Status CsvParser::finish() {
    Impl& m = *impl_;
    if (!m.inRow) return {};
    const int64_t started = m.rowLine;
    if (csv_fini(&m.parser, &Impl::onField, &Impl::onRow, &m) != 0) {
        m.reset();
        return Error{"line " + std::to_string(started) +
                     ": malformed CSV: a quoted field is never closed"};
    }
    return {};
}

Result<CsvColumns> CsvColumns::parse(const CsvRow& header) {
    CsvColumns c;
    std::set<std::string> seen;
    for (size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = header.fields[i].value_or("");
        bool known = false;
        for (std::string_view f : detail::kFields)
            known = known || f == name;
        const std::string where =
            "line " + std::to_string(header.line) + ", header row, field " + std::to_string(i + 1);
        if (!known)
            return Error{where + ": unknown column '" + name +
                         "' (known: " + detail::knownFieldList() + ")"};
        if (!seen.insert(name).second) return Error{where + ": column '" + name + "' repeated"};
        c.names_.push_back(name);
    }
    if (!seen.contains("key") && !seen.contains("value"))
        return Error{"line " + std::to_string(header.line) +
                     ", header row: no 'key' or 'value' column"};
    return c;
}

namespace {

template <class T>
Result<std::optional<T>> integerCell(std::string_view name, const std::optional<std::string>& s) {
    if (!s) return std::optional<T>();
    T v{};
    const char* end = s->data() + s->size();
    auto [p, ec] = std::from_chars(s->data(), end, v);
    if (s->empty() || ec != std::errc() || p != end || v < 0)
        return Error{"column '" + std::string(name) + "': expected an integer from 0 to " +
                     std::to_string(std::numeric_limits<T>::max()) + ", got '" + *s + "'"};
    return std::optional<T>(v);
}

}  // namespace

Result<FileRecord> CsvColumns::record(const CsvRow& row) const {
    if (row.fields.size() != names_.size()) {
        std::string msg = std::to_string(row.fields.size()) + " fields, the header row has " +
                          std::to_string(names_.size());
        if (row.fields.size() < names_.size())
            msg += " (missing column '" + names_[row.fields.size()] + "')";
        return Error{msg};
    }
    auto cell = [&](std::string_view name) -> const std::optional<std::string>* {
        for (size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return &row.fields[i];
        return nullptr;
    };
    static const std::optional<std::string> kNull;
    auto get = [&](std::string_view name) -> const std::optional<std::string>& {
        const auto* c = cell(name);
        return c ? *c : kNull;
    };
    auto view = [](const std::optional<std::string>& s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    };
    FileRecord r;
    auto key = detail::decodeTextField("key", view(get("key")), view(get("keyEncoding")));
    if (!key) return key.error();
    r.key = std::move(*key);
    auto value = detail::decodeTextField("value", view(get("value")), view(get("valueEncoding")));
    if (!value) return value.error();
    r.value = std::move(*value);
    if (const auto& h = get("headers"); h) {
        if (Status st = detail::checkJsonText(*h); !st.ok())
            return Error{"column 'headers': " + st.message()};
        detail::Json json;
        try {
            json = detail::Json::parse(*h);
        } catch (const detail::Json::parse_error& ex) {
            return Error{"column 'headers': malformed JSON at character " +
                         std::to_string(ex.byte)};
        } catch (const detail::Json::exception&) {
            return Error{"column 'headers': malformed JSON: a number out of range"};
        }
        auto headers = detail::decodeHeaders(json, view(get("headersEncoding")));
        if (!headers) return Error{"column 'headers': " + headers.error().message};
        r.headers = std::move(*headers);
    }
    auto partition = integerCell<int32_t>("partition", get("partition"));
    if (!partition) return partition.error();
    r.partition = *partition;
    auto timestamp = integerCell<int64_t>("timestamp", get("timestamp"));
    if (!timestamp) return timestamp.error();
    r.timestamp = *timestamp;
    auto offset = integerCell<int64_t>("offset", get("offset"));
    if (!offset) return offset.error();
    r.offset = *offset;
    if (const auto& t = get("topic"); t) r.topic = *t;
    return r;
}

namespace {

void appendCell(std::string& out, const std::optional<std::string_view>& cell) {
    if (!cell) return;  // null: an unquoted empty field
    bool quote = cell->empty();
    for (char c : *cell)
        quote = quote || c == ',' || c == '"' || c == '\n' || c == '\r';
    if (!quote) {
        out += *cell;
        return;
    }
    out += '"';
    for (char c : *cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

std::string csvHeaderRow() {
    return "topic,partition,offset,timestamp,key,keyEncoding,value,valueEncoding,headers,"
           "headersEncoding\n";
}

std::string toCsvRow(const FileRecord& r) {
    std::string out;
    auto number = [](const auto& n) {
        return n ? std::optional<std::string>(std::to_string(*n)) : std::nullopt;
    };
    auto sv = [](const std::optional<std::string>& s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    };
    appendCell(out, sv(r.topic));
    out += ',';
    appendCell(out, sv(number(r.partition)));
    out += ',';
    appendCell(out, sv(number(r.offset)));
    out += ',';
    appendCell(out, sv(number(r.timestamp)));
    for (const auto* b : {&r.key, &r.value}) {
        out += ',';
        std::optional<detail::EncodedField> e;
        if (*b) e = detail::encodeBytes(**b);
        appendCell(out, e ? std::optional<std::string_view>(e->text) : std::nullopt);
        out += ',';
        if (e && e->base64) appendCell(out, "base64");
    }
    out += ',';
    bool base64 = false;
    if (!r.headers.empty()) {
        const std::string json = detail::encodeHeaders(r.headers, base64)
                                     .dump(-1, ' ', false, detail::Json::error_handler_t::replace);
        appendCell(out, json);
    }
    out += ',';
    if (base64) appendCell(out, "base64");
    out += '\n';
    return out;
}

}  // namespace bs::recordfile
