#include "record_file_io.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "commands.h"
#include "producer/kafka_producer.h"
#include "record_file/reader.h"
#include "record_file/writer.h"

namespace bs::cli {

namespace {

using recordfile::FileRecord;

// At most this many bad lines are listed; the count covers them all.
constexpr int64_t kErrorsShown = 20;

producer::ProducerRecord toProducerRecord(const std::string& topic, FileRecord&& f) {
    producer::ProducerRecord r;
    r.topic = topic;
    r.partition = f.partition;
    r.timestamp = f.timestamp;
    if (f.key) r.key = std::move(*f.key);
    if (f.value) r.value = std::move(*f.value);
    for (auto& h : f.headers)
        r.headers.push_back({std::move(h.name), std::move(h.value)});
    return r;
}

// The input, opened anew for each pass (stdin is read once: its records are kept in memory to be
// checked before they are sent).
struct Source {
    std::string path;
    std::unique_ptr<std::ifstream> file;

    Result<std::istream*> open() {
        if (path.empty() || path == "-") return &std::cin;
        file = std::make_unique<std::ifstream>(path, std::ios::binary);
        if (!*file) return Error{"cannot read " + path + ": " + std::strerror(errno)};
        return file.get();
    }
};

struct Counts {
    int64_t records = 0, bad = 0;
};

void reportBad(const recordfile::ReadEntry& e, Counts& c) {
    if (++c.bad <= kErrorsShown) std::fprintf(stderr, "produce: %s\n", e.error.c_str());
}

}  // namespace

void addRecordFileInputOptions(CLI::App* produce, RecordFileInput& in) {
    produce
        ->add_option("--input", in.input,
                     "read records from FILE (\"-\": stdin) instead of stdin lines; see "
                     "--format (default: stdin lines)")
        ->type_name("FILE");
    produce
        ->add_option("--format", in.format,
                     "jsonl (JSON Lines), csv (with a header row) or lines (the stdin lines, "
                     "parse.key and key.separator apply); docs/RECORD_FILES.md (default: lines)")
        ->check(CLI::IsMember({"jsonl", "csv", "lines"}))
        ->type_name("FORMAT");
    produce->add_flag("--skip-bad-lines", in.skipBadLines,
                      "with --input/--format: report bad lines and send the others (default: a "
                      "bad line stops the whole file before anything is sent)");
}

int produceRecordFile(const RecordFileInput& in, const std::string& topic,
                      const std::string& keySeparator, bool report,
                      Result<producer::ProducerConfig> config) {
    auto format = recordfile::parseFormat(in.format.empty() ? "lines" : in.format);
    if (!format) {
        std::fprintf(stderr, "produce: %s\n", format.error().message.c_str());
        return kUsageError;
    }
    if (!config) {
        std::fprintf(stderr, "produce: %s\n", config.error().message.c_str());
        return kUsageError;
    }
    const recordfile::ReadOptions options{*format, keySeparator};
    const bool fromStdin = in.input.empty() || in.input == "-";
    const std::string name = fromStdin ? std::string("stdin") : in.input;
    Source source{in.input, nullptr};

    // Pass 1: check every record before anything is sent.
    std::vector<std::pair<int64_t, FileRecord>> held;  // stdin only, with their lines
    Counts checked;
    if (!in.skipBadLines) {
        auto stream = source.open();
        if (!stream) {
            std::fprintf(stderr, "produce: %s\n", stream.error().message.c_str());
            return 1;
        }
        recordfile::RecordFileReader reader(**stream, options);
        recordfile::ReadEntry e;
        while (reader.next(e)) {
            if (!e.ok()) {
                reportBad(e, checked);
                if (e.fatal) break;
                continue;
            }
            ++checked.records;
            if (fromStdin) held.emplace_back(e.line, std::move(*e.record));
        }
        if (checked.bad > 0) {
            if (checked.bad > kErrorsShown)
                std::fprintf(stderr, "produce: ... and %lld more bad lines\n",
                             static_cast<long long>(checked.bad - kErrorsShown));
            std::fprintf(stderr,
                         "produce: %s: %lld bad %s; nothing sent (--skip-bad-lines sends the "
                         "others)\n",
                         name.c_str(), static_cast<long long>(checked.bad),
                         checked.bad == 1 ? "line" : "lines");
            return 1;
        }
    }

    auto created = producer::KafkaProducer::create(std::move(*config));
    if (!created) {
        std::fprintf(stderr, "produce: %s\n", created.error().message.c_str());
        return 1;
    }
    auto& p = **created;
    std::vector<producer::FutureRecordMetadata> futures;
    std::atomic<int64_t> failed{0};
    Counts sent;
    auto send = [&](int64_t line, FileRecord&& f) {
        ++sent.records;
        auto fut = p.send(toProducerRecord(topic, std::move(f)),
                          [&failed, line](const producer::RecordMetadata&, const Error* err) {
                              if (!err) return;
                              std::fprintf(stderr, "produce: line %lld: %s\n",
                                           static_cast<long long>(line), err->message.c_str());
                              ++failed;
                          });
        if (report) futures.push_back(std::move(fut));
    };

    // Pass 2: send (from the held records for stdin).
    if (!in.skipBadLines && fromStdin) {
        for (auto& [line, f] : held)
            send(line, std::move(f));
        held.clear();
    } else {
        auto stream = source.open();
        if (!stream) {
            std::fprintf(stderr, "produce: %s\n", stream.error().message.c_str());
            return 1;
        }
        recordfile::RecordFileReader reader(**stream, options);
        recordfile::ReadEntry e;
        while (reader.next(e)) {
            if (!e.ok()) {
                // Only with --skip-bad-lines (otherwise pass 1 found none).
                reportBad(e, sent);
                if (e.fatal) break;
                continue;
            }
            send(e.line, std::move(*e.record));
        }
    }
    p.flush();
    for (const auto& f : futures) {
        auto md = f.get();
        if (md.ok())
            std::printf("%d %lld\n", md->partition, static_cast<long long>(md->offset));
        else
            std::printf("error %s\n", md.error().message.c_str());
    }
    p.close();
    std::fprintf(stderr, "produce: %s: sent %lld, failed %lld, bad lines skipped %lld\n",
                 name.c_str(), static_cast<long long>(sent.records - failed.load()),
                 static_cast<long long>(failed.load()), static_cast<long long>(sent.bad));
    // Skipped lines were asked for and reported; a record the cluster refused fails the run.
    return failed == 0 ? 0 : 1;
}

Result<RecordFileOutput> RecordFileOutput::create(const std::string& format) {
    auto f = recordfile::parseFormat(format);
    if (!f) return f.error();
    if (*f == recordfile::Format::Lines)
        return Error{"--format lines: use the formatter's --property options instead"};
    RecordFileOutput out;
    out.format_ = *f;
    return out;
}

std::string RecordFileOutput::start() const {
    return recordfile::fileStart(format_);
}

void RecordFileOutput::append(const consumer::ConsumerRecord& r, std::string& out) const {
    auto bytes = [](const std::optional<consumer::Bytes>& b) {
        return b ? std::optional<recordfile::Bytes>(recordfile::Bytes(b->begin(), b->end()))
                 : std::nullopt;
    };
    FileRecord f;
    f.topic = r.topic();
    f.partition = r.partition();
    f.offset = r.offset;
    if (r.timestamp >= 0) f.timestamp = r.timestamp;
    f.key = bytes(r.key);
    f.value = bytes(r.value);
    for (const auto& h : r.headers)
        f.headers.push_back({std::string(h.key), bytes(h.value)});
    out += recordfile::encodeRecord(format_, f);
}

void addRecordFileOutputOption(CLI::App* consume, std::optional<std::string>& format) {
    consume
        ->add_option("--format", format,
                     "write records as a record file, jsonl (JSON Lines) or csv, which "
                     "`produce --input FILE --format` reads back unchanged; "
                     "docs/RECORD_FILES.md (default: the formatter's text)")
        ->check(CLI::IsMember({"jsonl", "csv"}))
        ->type_name("FORMAT");
}

}  // namespace bs::cli
