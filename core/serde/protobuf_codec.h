#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace bs::serde {

// Every message type's full name in a .proto file ("pkg.Outer", "pkg.Outer.Inner"), nested ones
// after their parent, in file order (map entries left out). The error names the line and column
// of a syntax error, or the import that cannot be resolved.
Result<std::vector<std::string>> protobufMessageTypes(const std::string& protoText);

// A .proto file parsed at run time (libprotobuf's compiler::Importer over the text in memory;
// imports of google/protobuf/*.proto come from libprotobuf-dev's copies, any other import is an
// error), with dynamic messages for encoding and decoding. Immutable; shared; thread-safe.
class ProtobufSchema {
  public:
    static Result<std::shared_ptr<const ProtobufSchema>> parse(const std::string& text);
    ~ProtobufSchema();
    ProtobufSchema(const ProtobufSchema&) = delete;
    ProtobufSchema& operator=(const ProtobufSchema&) = delete;

    // The text registered with the registry, as given.
    const std::string& text() const { return text_; }
    const std::vector<std::string>& messageTypes() const { return messageTypes_; }

    // Confluent's message indexes of a type: the path of indexes from the file's top-level
    // messages down through nested types ({0} is the first message). Empty name: the first
    // message in the file, as Confluent's serializer picks by default.
    Result<std::vector<int32_t>> messageIndexes(const std::string& fullName) const;
    Result<std::string> messageTypeAt(const std::vector<int32_t>& indexes) const;

    // Protobuf's JSON mapping (field names as in the .proto or lowerCamelCase) of one message of
    // `fullName` to its binary encoding. Errors name the field and the reason, or the missing
    // required fields (proto2).
    Result<std::vector<uint8_t>> encodeJson(const std::string& fullName,
                                            const std::string& json) const;
    // The binary encoding of a message of `fullName` to one line of JSON (lowerCamelCase names,
    // fields at their default value included), as Confluent's Protobuf console consumer prints.
    Result<std::string> decodeToJson(const std::string& fullName, const uint8_t* data,
                                     size_t size) const;

  private:
    struct Impl;
    ProtobufSchema();
    std::unique_ptr<Impl> impl_;
    std::string text_;
    std::vector<std::string> messageTypes_;
};

}  // namespace bs::serde
