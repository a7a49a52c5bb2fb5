#include "consumer/message_formatter.h"

#include <cctype>

namespace bs::consumer {

namespace {

bool boolProperty(const std::string& v) {
    // Java: value.trim().equalsIgnoreCase("true"); anything else is false.
    size_t b = v.find_first_not_of(" \t\r\n");
    size_t e = v.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) return false;
    std::string t = v.substr(b, e - b + 1);
    for (char& c : t)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t == "true";
}

}  // namespace

Result<DefaultMessageFormatter> DefaultMessageFormatter::create(
    const std::map<std::string, std::string>& props, const Overrides& overrides) {
    DefaultMessageFormatter f;
    auto flag = [&](const char* key, bool& out) {
        if (auto it = props.find(key); it != props.end()) out = boolProperty(it->second);
    };
    auto text = [&](const char* key, std::string& out) {
        if (auto it = props.find(key); it != props.end()) out = it->second;
    };
    flag("print.timestamp", f.printTimestamp_);
    flag("print.key", f.printKey_);
    flag("print.offset", f.printOffset_);
    flag("print.delivery", f.printDelivery_);
    flag("print.epoch", f.printEpoch_);
    flag("print.partition", f.printPartition_);
    flag("print.headers", f.printHeaders_);
    flag("print.value", f.printValue_);
    text("key.separator", f.keySeparator_);
    text("line.separator", f.lineSeparator_);
    text("headers.separator", f.headersSeparator_);
    text("null.literal", f.nullLiteral_);
    for (auto [key, slot] : {std::pair{"key.deserializer", &f.keyDeserializer_},
                             std::pair{"value.deserializer", &f.valueDeserializer_},
                             std::pair{"headers.deserializer", &f.headersDeserializer_}}) {
        auto it = props.find(key);
        if (it == props.end()) continue;
        auto d = createDeserializer(it->second);
        if (!d) return Error{std::string(key) + ": " + d.error().message};
        *slot = std::shared_ptr<const Deserializer>(std::move(*d));
    }
    if (overrides.key) f.keyDeserializer_ = overrides.key;
    if (overrides.value) f.valueDeserializer_ = overrides.value;
    return f;
}

Status DefaultMessageFormatter::field(const std::optional<Bytes>& bytes, const Deserializer* d,
                                      std::string& out) const {
    if (!bytes) {
        out += nullLiteral_;
        return {};
    }
    if (!d) {
        out.append(reinterpret_cast<const char*>(bytes->data()), bytes->size());
        return {};
    }
    return d->deserialize(*bytes, out);
}

Status DefaultMessageFormatter::writeTo(const ConsumerRecord& r, std::string& out) const {
    const size_t start = out.size();
    auto fail = [&](Status s) {
        out.resize(start);
        return s;
    };
    // Each column is followed by key.separator when another column follows.
    auto sep = [&](bool more) { out += more ? keySeparator_ : std::string(); };
    if (printTimestamp_) {
        out += protocol::timestampTypeName(r.timestampType());
        out += ':';
        out += std::to_string(r.timestamp);
        sep(printPartition_ || printOffset_ || printDelivery_ || printEpoch_ || printHeaders_ ||
            printKey_ || printValue_);
    }
    if (printPartition_) {
        out += "Partition:" + std::to_string(r.partition());
        sep(printOffset_ || printDelivery_ || printEpoch_ || printHeaders_ || printKey_ ||
            printValue_);
    }
    if (printOffset_) {
        out += "Offset:" + std::to_string(r.offset);
        sep(printDelivery_ || printEpoch_ || printHeaders_ || printKey_ || printValue_);
    }
    if (printDelivery_) {
        out += "Delivery:NOT_PRESENT";
        sep(printEpoch_ || printHeaders_ || printKey_ || printValue_);
    }
    if (printEpoch_) {
        out += "Epoch:NOT_PRESENT";
        sep(printHeaders_ || printKey_ || printValue_);
    }
    if (printHeaders_) {
        if (r.headers.empty()) out += "NO_HEADERS";
        for (size_t i = 0; i < r.headers.size(); ++i) {
            out += r.headers[i].key;
            out += ':';
            if (Status s = field(r.headers[i].value, headersDeserializer_.get(), out); !s.ok())
                return fail(s);
            if (i + 1 < r.headers.size()) out += headersSeparator_;
        }
        sep(printKey_ || printValue_);
    }
    if (printKey_) {
        if (Status s = field(r.key, keyDeserializer_.get(), out); !s.ok()) return fail(s);
        sep(printValue_);
    }
    if (printValue_) {
        if (Status s = field(r.value, valueDeserializer_.get(), out); !s.ok()) return fail(s);
        out += lineSeparator_;
    }
    return {};
}

std::string DefaultMessageFormatter::batchLine(const BatchInfo& b) const {
    std::string s =
        "Batch partition: " + std::to_string(b.tp.partition) +
        " baseOffset: " + std::to_string(b.baseOffset) +
        " lastOffset: " + std::to_string(b.lastOffset()) +
        " count: " + std::to_string(b.recordCount) +
        " baseSequence: " + std::to_string(b.baseSequence) +
        " lastSequence: " + std::to_string(b.lastSequence()) +
        " producerId: " + std::to_string(b.producerId) +
        " producerEpoch: " + std::to_string(b.producerEpoch) +
        " partitionLeaderEpoch: " + std::to_string(b.partitionLeaderEpoch) +
        " isTransactional: " + (b.isTransactional ? "true" : "false") +
        " isControl: " + (b.isControl ? "true" : "false") + " " +
        std::string(protocol::timestampTypeName(b.timestampType)) + ": " +
        std::to_string(b.maxTimestamp) + " size: " + std::to_string(b.sizeInBytes) +
        " magic: 2 compresscodec: " + std::string(protocol::compressionName(b.compression)) +
        " crc: " + std::to_string(b.crc);
    return s + lineSeparator_;
}

}  // namespace bs::consumer
