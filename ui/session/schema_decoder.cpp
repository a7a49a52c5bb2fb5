#include "session/schema_decoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "schema_formats.h"
#include "serde/wire_format.h"

namespace bs::ui {

namespace {
// The inspector must not hang a page on a registry that does not answer.
constexpr long kRegistryTimeoutMs = 3000;
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
}  // namespace

QString indentJson(const QString& text) {
    QJsonParseError err{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QStringLiteral("[%1]").arg(text).toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray()) return text;
    const QJsonValue v = doc.array().first();
    if (v.isObject()) return QString::fromUtf8(QJsonDocument(v.toObject()).toJson()).trimmed();
    if (v.isArray()) return QString::fromUtf8(QJsonDocument(v.toArray()).toJson()).trimmed();
    return text.trimmed();
}

void SchemaDecoder::setRegistryUrl(const std::string& url) {
    if (url == url_) return;
    url_ = url;
    registry_.reset();
    deserializers_.clear();
    ids_.clear();
    pageErrors_.clear();
    if (url.empty()) return;
    serde::SchemaRegistryClientConfig config;
    config.url = url;
    config.timeoutMs = kRegistryTimeoutMs;
    registry_ = std::make_shared<serde::SchemaRegistryClient>(std::move(config));
}

std::optional<SchemaDecoder::IdInfo> SchemaDecoder::resolve(int32_t id, QString& error) {
    if (auto it = ids_.find(id); it != ids_.end()) return it->second;
    if (auto it = pageErrors_.find(id); it != pageErrors_.end()) {
        error = it->second;
        return std::nullopt;
    }
    if (unreachable_) {
        error = QStringLiteral("Schema Registry %1 unreachable").arg(qs(url_));
        return std::nullopt;
    }
    auto schema = registry_->schemaById(id);
    if (!schema) {
        error = QStringLiteral("schema id %1: %2").arg(id).arg(qs(schema.error().message));
        if (schema.error().message.find("unreachable") != std::string::npos) unreachable_ = true;
        pageErrors_[id] = error;
        return std::nullopt;
    }
    const auto format = schemaFormatByRegistryType(qs(schema->schemaType));
    if (!format) {
        error = QStringLiteral("schema id %1 is a %2 schema, which this build does not decode")
                    .arg(id)
                    .arg(qs(schema->schemaType));
        pageErrors_[id] = error;
        return std::nullopt;
    }
    IdInfo info{format->format, format->name, {}, 0};
    // The registry answers by id without the subject: ask each subject whether it holds this
    // schema (POST /subjects/{s}, as the Java client's lookup), once per id.
    if (auto subjects = registry_->subjects()) {
        for (const std::string& s : *subjects) {
            auto found = registry_->lookup(s, schema->schema, schema->schemaType);
            if (found && found->id == id) {
                info.subject = qs(s);
                info.version = found->version;
                break;
            }
        }
    }
    ids_[id] = info;
    return info;
}

std::shared_ptr<const SchemaDecoding> SchemaDecoder::decode(
    const std::optional<consumer::Bytes>& bytes) {
    if (!registry_ || !bytes || bytes->size() < serde::kWireHeaderSize ||
        (*bytes)[0] != serde::kMagicByte)
        return nullptr;
    auto out = std::make_shared<SchemaDecoding>();
    auto framed = serde::unframe(bytes->data(), bytes->size());
    if (!framed) {
        out->error = qs(framed.error().message);
        return out;
    }
    out->schemaId = framed->schemaId;
    QString error;
    const auto info = resolve(framed->schemaId, error);
    if (!info) {
        out->error = error;
        return out;
    }
    out->format = info->formatName;
    out->subject = info->subject;
    out->version = info->version;
    auto& deser = deserializers_[static_cast<int>(info->format)];
    if (!deser) deser = std::make_unique<serde::SchemaDeserializer>(info->format, registry_);
    auto text = deser->deserialize(bytes->data(), bytes->size());
    if (!text) {
        out->error = qs(text.error().message);
        return out;
    }
    out->ok = true;
    out->oneLine = qs(*text);
    out->json = indentJson(out->oneLine);
    return out;
}

void SchemaDecoder::decodePage(InspectorPage& page) {
    if (!registry_) return;
    beginPage();
    unreachable_ = false;
    for (InspectorRecordRef& ref : page.records) {
        const consumer::ConsumerRecord r = ref.record();
        ref.keySchema = decode(r.key);
        ref.valueSchema = decode(r.value);
    }
}

}  // namespace bs::ui
