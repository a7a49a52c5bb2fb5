#include <QtTest>

#include "protocol/api_keys.h"
#include "protocol/errors.h"

using namespace bs::protocol;

class ApiTableTest : public QObject {
    Q_OBJECT
  private slots:
    void supportedRanges() {
        QCOMPARE(supportedApis().size(), size_t(20));
        auto produce = supportedRange(ApiKey::Produce);
        QVERIFY(produce);
        QCOMPARE(produce->minVersion, int16_t(3));
        QCOMPARE(produce->maxVersion, int16_t(11));
        QVERIFY(isSupported(ApiKey::Fetch, 12));
        QVERIFY(!isSupported(ApiKey::Fetch, 13));
        QVERIFY(isSupported(ApiKey::Metadata, 0));
        QVERIFY(!isSupported(ApiKey::Metadata, 13));
        QVERIFY(!isSupported(ApiKey::Produce, 2));
        QVERIFY(!isSupported(static_cast<ApiKey>(99), 0));
        QVERIFY(!supportedRange(static_cast<ApiKey>(-5)));
    }

    void flexibleVersionsAndHeaderVersions() {
        QVERIFY(!isFlexible(ApiKey::Metadata, 8));
        QVERIFY(isFlexible(ApiKey::Metadata, 9));
        QVERIFY(!isFlexible(ApiKey::Fetch, 11));
        QVERIFY(isFlexible(ApiKey::Fetch, 12));
        QVERIFY(isFlexible(ApiKey::InitProducerId, 2));
        QVERIFY(isFlexible(ApiKey::CreateTopics, 5));
        QVERIFY(isFlexible(ApiKey::ListOffsets, 6));
        QVERIFY(!isFlexible(ApiKey::FindCoordinator, 2));
        QVERIFY(isFlexible(ApiKey::FindCoordinator, 3));
        QVERIFY(!isFlexible(ApiKey::SaslHandshake, 1));  // "flexibleVersions": "none"
        QVERIFY(!isFlexible(ApiKey::SaslAuthenticate, 1));
        QVERIFY(isFlexible(ApiKey::SaslAuthenticate, 2));
        QCOMPARE(requestHeaderVersion(ApiKey::Produce, 8), int16_t(1));
        QCOMPARE(requestHeaderVersion(ApiKey::Produce, 9), int16_t(2));
        QCOMPARE(responseHeaderVersion(ApiKey::Produce, 8), int16_t(0));
        QCOMPARE(responseHeaderVersion(ApiKey::Produce, 9), int16_t(1));
        // KIP-511: ApiVersions responses always carry header v0.
        QCOMPARE(requestHeaderVersion(ApiKey::ApiVersions, 3), int16_t(2));
        QCOMPARE(responseHeaderVersion(ApiKey::ApiVersions, 3), int16_t(0));
        QCOMPARE(apiName(ApiKey::InitProducerId), std::string_view("InitProducerId"));
        QCOMPARE(apiName(static_cast<ApiKey>(77)), std::string_view("Unknown"));
    }

    void errorNamesAndRetriability() {
        QCOMPARE(errorName(ErrorCode::NONE), std::string_view("NONE"));
        QCOMPARE(errorName(ErrorCode::UNKNOWN_SERVER_ERROR),
                 std::string_view("UNKNOWN_SERVER_ERROR"));
        QCOMPARE(errorName(ErrorCode::NOT_LEADER_OR_FOLLOWER),
                 std::string_view("NOT_LEADER_OR_FOLLOWER"));
        QCOMPARE(static_cast<int16_t>(ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER), int16_t(45));
        QCOMPARE(static_cast<int16_t>(ErrorCode::UNKNOWN_PRODUCER_ID), int16_t(59));
        QCOMPARE(static_cast<int16_t>(ErrorCode::INVALID_RECORD), int16_t(87));
        QCOMPARE(errorName(toErrorCode(999)), std::string_view("UNKNOWN_ERROR_CODE"));
        QVERIFY(!isKnownError(999));
        QVERIFY(isKnownError(110));

        for (ErrorCode c : {ErrorCode::NOT_LEADER_OR_FOLLOWER, ErrorCode::REQUEST_TIMED_OUT,
                            ErrorCode::NOT_ENOUGH_REPLICAS, ErrorCode::LEADER_NOT_AVAILABLE,
                            ErrorCode::CORRUPT_MESSAGE, ErrorCode::UNKNOWN_TOPIC_OR_PARTITION,
                            ErrorCode::NETWORK_EXCEPTION, ErrorCode::KAFKA_STORAGE_ERROR,
                            ErrorCode::NOT_ENOUGH_REPLICAS_AFTER_APPEND}) {
            QVERIFY2(isRetriable(c), errorName(c).data());
        }
        for (ErrorCode c :
             {ErrorCode::NONE, ErrorCode::MESSAGE_TOO_LARGE, ErrorCode::INVALID_PRODUCER_EPOCH,
              ErrorCode::UNKNOWN_PRODUCER_ID, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER,
              ErrorCode::DUPLICATE_SEQUENCE_NUMBER, ErrorCode::TOPIC_ALREADY_EXISTS,
              ErrorCode::UNKNOWN_SERVER_ERROR, ErrorCode::INVALID_RECORD}) {
            QVERIFY2(!isRetriable(c), errorName(c).data());
        }
        QVERIFY(!isRetriable(toErrorCode(999)));
    }
};

QTEST_GUILESS_MAIN(ApiTableTest)
#include "test_api_table.moc"
