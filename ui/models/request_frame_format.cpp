#include "models/request_frame_format.h"

#include <QObject>
#include <QStringList>

#include "models/inspector_format.h"
#include "protocol/frame.h"
#include "protocol/messages/produce.h"
#include "protocol/record/compression.h"
#include "protocol/record/record_batch.h"

namespace bs::ui {

namespace {

QString batchLines(std::span<const uint8_t> records) {
    auto h = protocol::parseBatchHeader(records);
    if (!h)
        return QStringLiteral("      RecordBatch: %1\n")
            .arg(QString::fromStdString(h.error().message));
    QString s;
    s += QStringLiteral(
             "      RecordBatch baseOffset %1 · batchLength %2 · partitionLeaderEpoch %3 · "
             "magic %4 · crc 0x%5\n")
             .arg(h->baseOffset)
             .arg(h->batchLength)
             .arg(h->partitionLeaderEpoch)
             .arg(h->magic)
             .arg(QString::number(h->crc, 16));
    s += QStringLiteral("        attributes 0x%1 (%2) · lastOffsetDelta %3 · records %4\n")
             .arg(QString::number(static_cast<quint16>(h->attributes), 16))
             .arg(QString::fromUtf8(protocol::compressionName(h->compression()).data()))
             .arg(h->lastOffsetDelta)
             .arg(h->recordCount);
    s += QStringLiteral("        baseTimestamp %1 · maxTimestamp %2\n")
             .arg(h->baseTimestamp)
             .arg(h->maxTimestamp);
    s += QStringLiteral("        producerId %1 · producerEpoch %2 · baseSequence %3\n")
             .arg(h->producerId)
             .arg(h->producerEpoch)
             .arg(h->baseSequence);
    return s;
}

}  // namespace

QString describeRequestFrame(const producer::RequestFrame& f, int hexBytes) {
    const std::span<const uint8_t> bytes(f.bytes);
    QString s;
    const bool whole = static_cast<int64_t>(bytes.size()) == f.frameSize;
    s += QObject::tr("node %1 · written at %2 ms · %3 bytes%4%5\n")
             .arg(f.nodeId)
             .arg(f.writtenMs)
             .arg(f.frameSize)
             .arg(whole ? QString() : QObject::tr(" (first %1 kept)").arg(bytes.size()))
             .arg(f.expectResponse ? QString()
                                   : QObject::tr(" · acks=0: written and forgotten, no response"));
    if (bytes.size() < protocol::kFrameSizeBytes) return s + QObject::tr("(no bytes kept)");
    const int32_t size =
        static_cast<int32_t>((uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                             (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]});
    s += QObject::tr("size prefix   %1 (int32: the bytes after it)\n").arg(size);
    auto parsed = protocol::parseRequestFrame(bytes.subspan(protocol::kFrameSizeBytes));
    if (!parsed) {
        s += QObject::tr("header        does not decode: %1\n")
                 .arg(QString::fromStdString(parsed.error().message));
    } else {
        const auto& h = parsed->header;
        s += QObject::tr(
                 "header        api key %1 (%2) · version %3 · correlation id %4 · "
                 "client id %5\n")
                 .arg(static_cast<int>(h.apiKey))
                 .arg(QString::fromUtf8(protocol::apiName(h.apiKey).data()))
                 .arg(h.apiVersion)
                 .arg(h.correlationId)
                 .arg(h.clientId ? QString::fromStdString(*h.clientId) : QStringLiteral("null"));
        if (h.apiKey == protocol::ApiKey::Produce && whole) {
            protocol::ProduceRequest req;
            if (auto st = protocol::decodeBody(req, h.apiVersion, parsed->body); !st.ok()) {
                s += QObject::tr("body          does not decode: %1\n")
                         .arg(QString::fromStdString(st.message()));
            } else {
                s += QObject::tr("ProduceRequest acks %1 · timeoutMs %2 · transactionalId %3\n")
                         .arg(req.acks)
                         .arg(req.timeoutMs)
                         .arg(req.transactionalId ? QString::fromStdString(*req.transactionalId)
                                                  : QStringLiteral("null"));
                for (const auto& t : req.topicData)
                    for (const auto& p : t.partitionData) {
                        s += QObject::tr("  %1-%2: %3 bytes of records\n")
                                 .arg(QString::fromStdString(t.name))
                                 .arg(p.index)
                                 .arg(p.records.bytes.size());
                        s += batchLines(p.records.bytes);
                    }
            }
        }
    }
    s += QObject::tr("\nfirst bytes\n");
    s += hexDump(bytes, hexBytes);
    return s;
}

}  // namespace bs::ui
