#pragma once

#include <QString>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "models/inspector_page.h"
#include "serde/schema_serde.h"

namespace bs::ui {

// Decodes keys and values in Confluent's wire format for the topic inspector, on the reader's
// worker (registry calls block): the schema by id (cached by the registry client), the
// subject and version holding it (looked up once per id), the format from the registry's
// schemaType (schema_formats.h). An unknown id, an unreachable registry or bytes that are not
// of the schema give an undecodable SchemaDecoding naming the reason. Owned and used by one
// thread (the reader's worker).
class SchemaDecoder {
  public:
    // schema.registry.url; empty: nothing is decoded.
    void setRegistryUrl(const std::string& url);
    bool active() const { return registry_ != nullptr; }
    // Failed ids are asked again on the next page (the schema may have been registered since).
    void beginPage() { pageErrors_.clear(); }
    // Null when `bytes` do not start with the magic byte and a 4-byte id.
    std::shared_ptr<const SchemaDecoding> decode(const std::optional<consumer::Bytes>& bytes);
    // Decodes every key and value of the page.
    void decodePage(InspectorPage& page);

  private:
    struct IdInfo {
        serde::SchemaFormat format{};
        QString formatName;
        QString subject;
        int version = 0;
    };
    // The id's format, subject and version, or why it does not resolve.
    std::optional<IdInfo> resolve(int32_t id, QString& error);

    std::string url_;
    std::shared_ptr<serde::SchemaRegistryClient> registry_;
    std::map<int, std::unique_ptr<serde::SchemaDeserializer>> deserializers_;  // by format
    std::map<int32_t, IdInfo> ids_;
    std::map<int32_t, QString> pageErrors_;
    bool unreachable_ = false;  // this page: the registry did not answer, do not wait again
};

// Indented JSON of one JSON text (any value, not only objects); the text itself when not JSON.
QString indentJson(const QString& text);

}  // namespace bs::ui
