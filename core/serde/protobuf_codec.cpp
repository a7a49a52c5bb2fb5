#include "serde/protobuf_codec.h"

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include <deque>
#include <fstream>
#include <sstream>

namespace bs::serde {

namespace gp = google::protobuf;

namespace {

// The name the schema text is imported under; it appears in no message the user sees.
constexpr const char* kFileName = "schema.proto";
// Where libprotobuf-dev installs the well-known types' .proto files.
constexpr const char* kWellKnownDir = "/usr/include/";

// The schema text in memory, plus google/protobuf/*.proto read from libprotobuf-dev. Every
// other import is unresolvable: schema references are not supported.
class StringSourceTree : public gp::compiler::SourceTree {
  public:
    explicit StringSourceTree(const std::string& text) : text_(text) {}
    gp::io::ZeroCopyInputStream* Open(const std::string& filename) override {
        if (filename == kFileName)
            return new gp::io::ArrayInputStream(text_.data(), static_cast<int>(text_.size()));
        if (filename.starts_with("google/protobuf/") && filename.find("..") == std::string::npos) {
            std::ifstream in(kWellKnownDir + filename);
            if (in) {
                std::stringstream all;
                all << in.rdbuf();
                const std::string& kept = loaded_.emplace_back(all.str());
                return new gp::io::ArrayInputStream(kept.data(), static_cast<int>(kept.size()));
            }
        }
        lastError_ = "import \"" + filename +
                     "\" is not supported (only google/protobuf/*.proto imports are; schema "
                     "references are not)";
        return nullptr;
    }
    std::string GetLastErrorMessage() override { return lastError_; }

  private:
    const std::string& text_;
    std::deque<std::string> loaded_;  // kept alive for the streams handed out
    std::string lastError_;
};

class CollectErrors : public gp::compiler::MultiFileErrorCollector {
  public:
    void AddError(const std::string& filename, int line, int column,
                  const std::string& message) override {
        if (!first_.empty()) return;
        if (filename == kFileName) {
            first_ = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) +
                     ": " + message;
        } else {
            first_ = (line >= 0 ? filename + ":" + std::to_string(line + 1) + ": " : "") + message;
        }
    }
    const std::string& first() const { return first_; }

  private:
    std::string first_;
};

bool isMapEntry(const gp::Descriptor* d) {
    return d->options().map_entry();
}

void collectTypes(const gp::Descriptor* d, std::vector<std::string>& out) {
    out.push_back(d->full_name());
    for (int i = 0; i < d->nested_type_count(); ++i)
        if (!isMapEntry(d->nested_type(i))) collectTypes(d->nested_type(i), out);
}

// libprotobuf's JSON errors, worded as the other formats word them: "(address.zip): invalid
// value ..." -> "field 'address.zip': invalid value ...", ": missing field name" -> "field
// 'name': missing required field".
std::string nameField(std::string message) {
    if (message.starts_with(": ")) message = message.substr(2);
    if (message.starts_with("missing field ") && message.find(' ', 14) == std::string::npos)
        return "field '" + message.substr(14) + "': missing required field";
    if (message.starts_with("(")) {
        const size_t close = message.find("):");
        if (close != std::string::npos && close > 1)
            return "field '" + message.substr(1, close - 1) + "':" + message.substr(close + 2);
    }
    return message;
}

}  // namespace

struct ProtobufSchema::Impl {
    explicit Impl(const std::string& text) : tree(text), importer(&tree, &errors) {}
    StringSourceTree tree;
    CollectErrors errors;
    gp::compiler::Importer importer;
    const gp::FileDescriptor* file = nullptr;
    std::unique_ptr<gp::DynamicMessageFactory> factory;

    Result<const gp::Descriptor*> find(const std::string& fullName) const {
        const gp::Descriptor* d = importer.pool()->FindMessageTypeByName(fullName);
        if (!d || d->file() != file)
            return Error{"no message type '" + fullName + "' in the schema"};
        return d;
    }
};

ProtobufSchema::ProtobufSchema() = default;
ProtobufSchema::~ProtobufSchema() = default;

Result<std::shared_ptr<const ProtobufSchema>> ProtobufSchema::parse(const std::string& text) {
    std::shared_ptr<ProtobufSchema> s(new ProtobufSchema());
    s->text_ = text;
    s->impl_ = std::make_unique<Impl>(s->text_);
    s->impl_->file = s->impl_->importer.Import(kFileName);
    if (!s->impl_->file) {
        const std::string& why = s->impl_->errors.first();
        return Error{"Invalid Protobuf schema: " + (why.empty() ? "cannot be parsed" : why)};
    }
    for (int i = 0; i < s->impl_->file->message_type_count(); ++i)
        collectTypes(s->impl_->file->message_type(i), s->messageTypes_);
    if (s->messageTypes_.empty())
        return Error{"Invalid Protobuf schema: the file declares no message type"};
    s->impl_->factory = std::make_unique<gp::DynamicMessageFactory>(s->impl_->importer.pool());
    return std::shared_ptr<const ProtobufSchema>(std::move(s));
}

Result<std::vector<std::string>> protobufMessageTypes(const std::string& protoText) {
    auto parsed = ProtobufSchema::parse(protoText);
    if (!parsed) return parsed.error();
    return (*parsed)->messageTypes();
}

Result<std::vector<int32_t>> ProtobufSchema::messageIndexes(const std::string& fullName) const {
    if (fullName.empty()) return std::vector<int32_t>{0};
    auto d = impl_->find(fullName);
    if (!d) return d.error();
    std::vector<int32_t> path;
    for (const gp::Descriptor* at = *d; at; at = at->containing_type()) {
        const gp::Descriptor* parent = at->containing_type();
        int32_t index = 0;
        if (parent) {
            for (int i = 0; i < parent->nested_type_count(); ++i) {
                if (parent->nested_type(i) == at) break;
                if (!isMapEntry(parent->nested_type(i))) ++index;
            }
        } else {
            index = at->index();
        }
        path.insert(path.begin(), index);
    }
    return path;
}

Result<std::string> ProtobufSchema::messageTypeAt(const std::vector<int32_t>& indexes) const {
    auto bad = [&] {
        std::string list;
        for (int32_t i : indexes)
            list += (list.empty() ? "" : ",") + std::to_string(i);
        return Error{"message indexes [" + list + "] name no message type in the schema"};
    };
    if (indexes.empty() || indexes[0] < 0 || indexes[0] >= impl_->file->message_type_count())
        return bad();
    const gp::Descriptor* d = impl_->file->message_type(indexes[0]);
    for (size_t k = 1; k < indexes.size(); ++k) {
        const gp::Descriptor* next = nullptr;
        int32_t seen = 0;
        for (int i = 0; i < d->nested_type_count() && !next; ++i) {
            if (isMapEntry(d->nested_type(i))) continue;
            if (seen++ == indexes[k]) next = d->nested_type(i);
        }
        if (!next) return bad();
        d = next;
    }
    return d->full_name();
}

Result<std::vector<uint8_t>> ProtobufSchema::encodeJson(const std::string& fullName,
                                                        const std::string& json) const {
    auto d = impl_->find(fullName);
    if (!d) return d.error();
    std::unique_ptr<gp::Message> msg(impl_->factory->GetPrototype(*d)->New());
    gp::util::JsonParseOptions options;
    const auto status = gp::util::JsonStringToMessage(json, msg.get(), options);
    if (!status.ok())
        return Error{"invalid " + fullName + ": " + nameField(std::string(status.message()))};
    if (!msg->IsInitialized())
        return Error{"invalid " + fullName +
                     ": missing required field(s): " + msg->InitializationErrorString()};
    std::string bytes;
    if (!msg->SerializeToString(&bytes)) return Error{"cannot encode " + fullName};
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

Result<std::string> ProtobufSchema::decodeToJson(const std::string& fullName, const uint8_t* data,
                                                 size_t size) const {
    auto d = impl_->find(fullName);
    if (!d) return d.error();
    std::unique_ptr<gp::Message> msg(impl_->factory->GetPrototype(*d)->New());
    if (size > static_cast<size_t>(INT32_MAX) ||
        !msg->ParsePartialFromArray(data, static_cast<int>(size)))
        return Error{"the payload is not a valid " + fullName + " message"};
    gp::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    std::string out;
    const auto status = gp::util::MessageToJsonString(*msg, &out, options);
    if (!status.ok())
        return Error{"cannot print " + fullName + ": " + std::string(status.message())};
    return out;
}

}  // namespace bs::serde
