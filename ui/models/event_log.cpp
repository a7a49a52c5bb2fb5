#include "models/event_log.h"

#include "models/sender_model.h"

namespace bs::ui {

std::optional<QString> eventLogLine(const producer::Event& e,
                                    const std::function<QString(uint32_t topicId)>& topicName) {
    auto tp = [&] { return QStringLiteral("%1-%2").arg(topicName(e.topicId)).arg(e.partition); };
    switch (e.type) {
        case producer::EventType::BatchRetried:
        case producer::EventType::BatchExpired:
        case producer::EventType::BatchSplit: {
            const auto name = producer::eventTypeName(e.type);
            return QStringLiteral("%1 %2 batch %3 (%4, attempt %5) %6")
                .arg(QString::fromUtf8(name.data()), tp())
                .arg(e.batchId)
                .arg(e.recordCount == 1 ? QStringLiteral("1 record")
                                        : QStringLiteral("%1 records").arg(e.recordCount))
                .arg(e.attempts)
                .arg(e.errorCode ? errorLabel(e.errorCode) : QString());
        }
        case producer::EventType::BatchCompleted:
            if (!e.errorCode) return std::nullopt;
            return QStringLiteral("BatchCompleted %1 batch %2 failed: %3")
                .arg(tp())
                .arg(e.batchId)
                .arg(errorLabel(e.errorCode));
        case producer::EventType::ResponseReceived:
            if (!e.errorCode) return std::nullopt;
            return QStringLiteral("ResponseReceived node %1 #%2: %3")
                .arg(e.nodeId)
                .arg(e.correlationId)
                .arg(errorLabel(e.errorCode));
        case producer::EventType::MetadataUpdated:
            // Refreshed every retry.backoff.ms while a leader is missing: the window says what
            // changed instead (ClusterSession::metadataChanges).
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

}  // namespace bs::ui
