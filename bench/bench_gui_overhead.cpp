// What drawing costs the pipeline: the same load against a fresh in-process embedded cluster,
// (1) headless through the core Producer (as `batchscope-cli perf` sends), (2) through the GUI's
// AppController::sendRepeated with no window, (3) the same with the real MainWindow shown and
// redrawing from its poll, its Send path timeline raised and fed with every event type but the
// per-record one (the window's default). Prints per run records/s, CPU time of the whole process
// per record, how long the GUI thread's event loop was blocked (a 10 ms QTimer heartbeat's p99 and
// worst lateness), the views' frames/s, and the GUI thread's CPU (share of a core / share of all
// the process used) and the minor page faults in the measured window; then medians, and (3) against
// (1) and (2), and (2) against (1), as medians of per-round ratios with 90 % bootstrap intervals.
// Usage: bench_gui_overhead [--records N] [--value-size B] [--rounds R] [--runs 123]
// (--runs picks which of the three run, e.g. `--runs 3` to profile the GUI alone; offscreen QPA
// unless QT_QPA_PLATFORM is set).
#include <sys/resource.h>
#include <time.h>
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QListView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app_controller.h"
#include "broker/embedded_cluster.h"
#include "main_window.h"
#include "models/timeline_model.h"
#include "producer/kafka_producer.h"
#include "send_path.h"
#include "widgets/accumulator_view.h"
#include "widgets/sender_view.h"
#include "widgets/timeline_panel.h"

namespace {

using Steady = std::chrono::steady_clock;
using bs::ui::PropertyMap;

struct Options {
    long records = 500000;
    int valueSize = 100;
    int rounds = 2;
    std::string runs = "123";
};

struct Run {
    double seconds = 0;
    long delivered = 0;
    long failed = 0;
    double maxBlockedMs = 0;  // GUI runs: worst heartbeat lateness
    double p99BlockedMs = 0;  // GUI runs: its 99th percentile
    long frames = 0;          // GUI runs: paints of the accumulator + sender views
    long timelineFrames = 0;  // (3): paints of the Send path timeline
    long timelineLines = 0;   // (3): lines the timeline held at the end (capped)
    long events = 0;          // (2)/(3): pipeline events the GUI thread polled
    double guiCpu = 0;        // GUI runs: CPU time of the GUI thread / wall time
    double guiShare = 0;      // GUI runs: CPU time of the GUI thread / of the whole process
    double cpuSeconds = 0;    // CPU time of the whole process (pipeline, cluster, GUI)
    long minorFaults = 0;     // page faults of the whole process: first touches of fresh memory
    double cpuUsPerRecord() const { return delivered > 0 ? 1e6 * cpuSeconds / delivered : 0; }
    double recordsPerSec() const { return seconds > 0 ? double(delivered) / seconds : 0; }
};

// CPU time the calling thread has used.
double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// What the whole process has used so far, from one getrusage().
struct ProcessUsage {
    // CPU time of every thread: on a shared 2-core VM the wall-clock rate swings by a third from
    // run to run, the CPU spent per record much less.
    double cpuSeconds = 0;
    // Minor page faults: each is the kernel handing out a fresh page, the price of memory
    // touched for the first time.
    long minorFaults = 0;

    static ProcessUsage now() {
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        return {double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
                ru.ru_minflt};
    }
};

double secondsSince(Steady::time_point t) {
    return std::chrono::duration<double>(Steady::now() - t).count();
}

// The producer settings of every run (acks=1, linger.ms=5, batch.size=16384: the load).
PropertyMap loadProps() {
    return {{"acks", "1"}, {"linger.ms", "5"}, {"batch.size", "16384"}};
}

// Random uppercase letters, as kafka-producer-perf-test fills its payload.
std::string payload(int size) {
    std::mt19937 rng(42);
    std::string p(static_cast<size_t>(size), 'A');
    for (auto& c : p)
        c = static_cast<char>('A' + rng() % 26);
    return p;
}

// (1) Headless: one thread calls sendWithoutFuture() in a loop, then flush(), as
// `batchscope-cli perf` does; no events, no snapshots.
Run runHeadless(const std::string& bootstrap, const Options& o) {
    PropertyMap props = loadProps();
    props["bootstrap.servers"] = bootstrap;
    props["key.serializer"] = "string";
    props["value.serializer"] = "string";
    auto config = bs::producer::ProducerConfig::parse(props);
    if (!config) {
        std::fprintf(stderr, "config: %s\n", config.error().message.c_str());
        std::exit(1);
    }
    auto created = bs::producer::KafkaProducer::create(*config);
    if (!created) {
        std::fprintf(stderr, "producer: %s\n", created.error().message.c_str());
        std::exit(1);
    }
    auto& producer = **created;
    bs::producer::ProducerRecord record;
    record.topic = "demo";
    record.value = payload(o.valueSize);
    // Warm up: metadata and connections before the clock starts.
    producer.send(record);
    producer.flush();
    // Written by the sender thread: on a cache line of their own, not on this thread's stack
    // next to what the send loop touches.
    struct alignas(64) Counts {
        std::atomic<long> ok{0}, failed{0};
    };
    auto counts = std::make_unique<Counts>();
    const ProcessUsage usageStart = ProcessUsage::now();
    const auto start = Steady::now();
    for (long i = 0; i < o.records; ++i)
        producer.sendWithoutFuture(
            record, [c = counts.get()](const bs::producer::RecordMetadata&, const bs::Error* e) {
                (e ? c->failed : c->ok).fetch_add(1, std::memory_order_relaxed);
            });
    producer.flush();
    Run run;
    run.seconds = secondsSince(start);
    const ProcessUsage usageEnd = ProcessUsage::now();
    run.cpuSeconds = usageEnd.cpuSeconds - usageStart.cpuSeconds;
    run.minorFaults = usageEnd.minorFaults - usageStart.minorFaults;
    run.delivered = counts->ok.load();
    run.failed = counts->failed.load();
    producer.close();
    return run;
}

// Runs the event loop until `done()` (checked on every heartbeat), recording the heartbeat's
// worst lateness: how long the GUI thread was busy with something else (painting, models).
class Heartbeat {
  public:
    static constexpr int kPeriodMs = 10;

    template <typename Done>
    bool runUntil(Done done, int timeoutMs) {
        QEventLoop loop;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(kPeriodMs);
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0;
        bool ok = false;
        QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
            const qint64 now = clock.nsecsElapsed();
            if (last > 0) late_.push_back(std::max(0.0, double(now - last) / 1e6 - kPeriodMs));
            last = now;
            if (done()) {
                ok = true;
                loop.quit();
            } else if (now / 1000000 > timeoutMs) {
                loop.quit();
            }
        });
        timer.start();
        loop.exec();
        return ok;
    }
    void reset() { late_.clear(); }
    // The p-th quantile of the heartbeat's lateness in ms (p = 1: the worst).
    double lateMs(double p) const {
        if (late_.empty()) return 0;
        std::vector<double> v = late_;
        const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())));
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
        return v[i];
    }

  private:
    std::vector<double> late_;
};

// Counts paint events of the views that redraw at the snapshot rate.
class PaintCounter : public QObject {
  public:
    long frames = 0;

  protected:
    bool eventFilter(QObject* o, QEvent* e) override {
        if (e->type() == QEvent::Paint) ++frames;
        return QObject::eventFilter(o, e);
    }
};

// (2)/(3) The GUI's sending path: AppController::sendRepeated at an unlimited rate (its worker
// serializes each record from the composer's draft, the deliveries come back to the GUI
// thread), optionally with the main window shown and redrawing.
Run runGui(const std::string& bootstrap, const Options& o, bool withWindow) {
    Run run;
    auto controller = std::make_unique<bs::ui::AppController>();
    std::unique_ptr<bs::ui::MainWindow> window;
    PaintCounter painter, timelinePainter;
    bs::ui::SendPath* sendPath = nullptr;
    if (withWindow) {
        window = std::make_unique<bs::ui::MainWindow>(controller.get());
        window->show();
        window->findChild<bs::ui::AccumulatorView*>()->installEventFilter(&painter);
        window->findChild<bs::ui::SenderView*>()->installEventFilter(&painter);
        // The timeline is what a learner watches: shown, raised and painting.
        sendPath = window->findChild<bs::ui::SendPath*>();
        if (auto* dock = window->findChild<QDockWidget*>(QStringLiteral("sendPath"))) {
            dock->show();
            dock->raise();
        }
        sendPath->panel()->view()->viewport()->installEventFilter(&timelinePainter);
    }
    bs::ui::ConnectionSettings c;
    c.mode = bs::ui::ConnectionSettings::Mode::External;
    c.bootstrapServers = QString::fromStdString(bootstrap);
    controller->session().connectTo(c, loadProps());
    Heartbeat hb;
    if (!hb.runUntil([&] { return controller->session().isConnected(); }, 30000)) {
        std::fprintf(stderr, "GUI run: could not connect\n");
        std::exit(1);
    }
    bs::ui::RecordDraft draft;
    draft.topic = QStringLiteral("demo");
    draft.keySerializer = QStringLiteral("null");
    draft.valueSerializer = QStringLiteral("string");
    draft.valueText = QString::fromStdString(payload(o.valueSize));
    // Warm up as the headless run does; let the views settle before the clock starts.
    controller->sends().send(draft);
    hb.runUntil(
        [&] {
            return controller->sends().deliveredCount() + controller->sends().failedCount() >= 1;
        },
        30000);
    hb.runUntil([&, t = Steady::now()] { return secondsSince(t) > 0.5; }, 30000);
    const qint64 base = controller->sends().deliveredCount();
    const qint64 baseFailed = controller->sends().failedCount();
    long events = 0;
    QObject::connect(&controller->poller(), &bs::ui::SnapshotPoller::eventsReady,
                     [&events](const std::vector<bs::producer::Event>& e) {
                         events += static_cast<long>(e.size());
                     });
    hb.reset();
    painter.frames = 0;
    timelinePainter.frames = 0;
    const auto start = Steady::now();
    const double cpuStart = threadCpuSeconds();
    const ProcessUsage usageStart = ProcessUsage::now();
    controller->sends().sendRepeated(draft, o.records, 0);
    const bool finished = hb.runUntil(
        [&] {
            return controller->sends().deliveredCount() + controller->sends().failedCount() - base -
                       baseFailed >=
                   o.records;
        },
        600000);
    run.seconds = secondsSince(start);
    const double guiSeconds = threadCpuSeconds() - cpuStart;
    run.guiCpu = guiSeconds / run.seconds;
    const ProcessUsage usageEnd = ProcessUsage::now();
    run.cpuSeconds = usageEnd.cpuSeconds - usageStart.cpuSeconds;
    run.minorFaults = usageEnd.minorFaults - usageStart.minorFaults;
    run.guiShare = run.cpuSeconds > 0 ? guiSeconds / run.cpuSeconds : 0;
    run.delivered = static_cast<long>(controller->sends().deliveredCount() - base);
    run.failed = static_cast<long>(controller->sends().failedCount() - baseFailed);
    run.maxBlockedMs = hb.lateMs(1.0);
    run.p99BlockedMs = hb.lateMs(0.99);
    run.frames = painter.frames;
    run.timelineFrames = timelinePainter.frames;
    if (sendPath) run.timelineLines = sendPath->model()->rowCount();
    run.events = events;
    if (!finished) std::fprintf(stderr, "GUI run: timed out\n");
    window.reset();
    controller.reset();
    return run;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        auto next = [&]() -> long {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", argv[i]);
                std::exit(2);
            }
            return std::strtol(argv[++i], nullptr, 10);
        };
        if (!std::strcmp(argv[i], "--records")) {
            o.records = next();
        } else if (!std::strcmp(argv[i], "--value-size")) {
            o.valueSize = static_cast<int>(next());
        } else if (!std::strcmp(argv[i], "--rounds")) {
            o.rounds = static_cast<int>(next());
        } else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) {
            o.runs = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: bench_gui_overhead [--records N] [--value-size B] "
                         "[--rounds R] [--runs 123]\n");
            std::exit(2);
        }
    }
    if (o.records <= 0 || o.valueSize < 0 || o.rounds <= 0 || o.runs.empty() ||
        o.runs.find_first_not_of("123") != std::string::npos) {
        std::fprintf(stderr,
                     "--records and --rounds must be positive, --value-size >= 0, --runs a "
                     "selection of 1, 2 and 3\n");
        std::exit(2);
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    const Options o = parse(argc, argv);
    QApplication app(argc, argv);
    std::printf(
        "%ld records of %d bytes, keyless, acks=1 linger.ms=5 batch.size=16384, "
        "embedded 3-node cluster, topic demo (6 partitions)\n\n",
        o.records, o.valueSize);
    std::printf("%-6s %-32s %10s %11s %8s %9s %8s %8s %7s %10s %9s %8s\n", "round", "run",
                "delivered", "records/s", "vs (1)", "CPU us/r", "vs (1)", "faults", "failed",
                "blocked ms", "frames/s", "GUI cpu");
    std::printf("%-6s %-32s %10s %11s %8s %9s %8s %8s %7s %10s %9s %8s\n", "", "", "", "", "", "",
                "", "minor", "", "p99/max", "", "core/all");
    const char* names[] = {"(1) headless core Producer", "(2) AppController, no window",
                           "(3) AppController + MainWindow"};
    // Per run kind: records/s and CPU per record; per round, (3) against (1) and (2), (2) against
    // (1).
    std::map<int, std::vector<double>> rates, cpus, shares;
    std::vector<double> rate21, rate31, rate32, cpu21, cpu31, cpu32;
    for (int r = 1; r <= o.rounds; ++r) {
        std::map<int, Run> round;
        // Odd rounds run 1, 2, 3 and even rounds 3, 2, 1, so a machine slowing down or
        // speeding up during the bench favours no run.
        for (int step = 0; step < 3; ++step) {
            const int k = r % 2 ? step : 2 - step;
            if (o.runs.find(char('1' + k)) == std::string::npos) continue;
            // Every run gets a fresh cluster in a fresh directory: a cluster kept across runs
            // wrote gigabytes by the last round, and every run got slower than the one before.
            QTemporaryDir dir;
            bs::broker::ClusterConfig cc;
            cc.dataDir = dir.path().toStdString();
            cc.topics.push_back({"demo", 6});
            auto cluster = bs::broker::EmbeddedCluster::start(cc);
            if (!cluster) {
                std::fprintf(stderr, "cluster: %s\n", cluster.error().message.c_str());
                return 1;
            }
            const std::string bootstrap = (*cluster)->bootstrapServers();
            const Run run = k == 0 ? runHeadless(bootstrap, o) : runGui(bootstrap, o, k == 2);
            (void)(*cluster)->stop();
            round[k] = run;
            rates[k].push_back(run.recordsPerSec());
            cpus[k].push_back(run.cpuUsPerRecord());
            shares[k].push_back(run.guiShare);
            char vs[32] = "-", vsCpu[32] = "-", blocked[32] = "-", fps[32] = "-", cpu[32] = "-";
            if (round.count(0) && k > 0 && round[0].delivered > 0) {
                std::snprintf(vs, sizeof vs, "%.1f%%",
                              100.0 * run.recordsPerSec() / round[0].recordsPerSec());
                std::snprintf(vsCpu, sizeof vsCpu, "%.1f%%",
                              100.0 * run.cpuUsPerRecord() / round[0].cpuUsPerRecord());
            }
            if (k > 0)
                std::snprintf(blocked, sizeof blocked, "%.0f/%.0f", run.p99BlockedMs,
                              run.maxBlockedMs);
            if (k > 0)
                std::snprintf(cpu, sizeof cpu, "%.0f%%/%.1f%%", 100.0 * run.guiCpu,
                              100.0 * run.guiShare);
            if (k == 2)
                std::snprintf(fps, sizeof fps, "%.1f+%.1f", double(run.frames) / run.seconds,
                              double(run.timelineFrames) / run.seconds);
            std::printf("%-6d %-32s %10ld %11.0f %8s %9.3f %8s %8ld %7ld %10s %9s %8s\n", r,
                        names[k], run.delivered, run.recordsPerSec(), vs, run.cpuUsPerRecord(),
                        vsCpu, run.minorFaults, run.failed, blocked, fps, cpu);
            if (k == 2)
                std::printf(
                    "%-6s %-32s timeline: %ld lines held, %.0f events/s polled "
                    "(frames/s: views+timeline)\n",
                    "", "", run.timelineLines, double(run.events) / run.seconds);
            std::fflush(stdout);
        }
        if (round.count(1) && round.count(0)) {
            rate21.push_back(round[1].recordsPerSec() / round[0].recordsPerSec());
            cpu21.push_back(round[1].cpuUsPerRecord() / round[0].cpuUsPerRecord());
        }
        if (round.count(2) && round.count(0)) {
            rate31.push_back(round[2].recordsPerSec() / round[0].recordsPerSec());
            cpu31.push_back(round[2].cpuUsPerRecord() / round[0].cpuUsPerRecord());
        }
        if (round.count(2) && round.count(1)) {
            rate32.push_back(round[2].recordsPerSec() / round[1].recordsPerSec());
            cpu32.push_back(round[2].cpuUsPerRecord() / round[1].cpuUsPerRecord());
        }
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    };
    std::printf("\nmedians over %d rounds:\n", o.rounds);
    for (const auto& [k, v] : rates)
        std::printf("  %-32s %11.0f records/s %9.3f CPU us/record\n", names[k], median(v),
                    median(cpus[k]));
    // The GUI thread's share of all the CPU the process used: what drawing takes from the
    // pipeline on a machine whose cores are all busy, and steadier than wall-clock rates.
    if (shares.count(1) && shares.count(2))
        std::printf("GUI thread's share of the process CPU, median: (2) %.1f%%, (3) %.1f%%\n",
                    100.0 * median(shares[1]), 100.0 * median(shares[2]));
    // The ratios are taken within each round (the machine's speed drifts between rounds), with
    // a 90 % bootstrap interval of their median: on a shared 2-core VM runs of the same build vary
    // by 13-15 %, and a difference inside the interval is not one the bench has shown.
    auto report = [&](const char* what, const std::vector<double>& rate,
                      const std::vector<double>& cpu) {
        if (rate.empty()) return;
        auto interval = [&](const std::vector<double>& v) {
            std::mt19937 rng(7);
            std::uniform_int_distribution<size_t> pick(0, v.size() - 1);
            std::vector<double> medians, sample(v.size());
            for (int b = 0; b < 2000; ++b) {
                for (auto& x : sample)
                    x = v[pick(rng)];
                medians.push_back(median(sample));
            }
            std::sort(medians.begin(), medians.end());
            return std::pair{medians[medians.size() / 20], medians[medians.size() * 19 / 20]};
        };
        const auto [rateLo, rateHi] = interval(rate);
        const auto [cpuLo, cpuHi] = interval(cpu);
        std::printf(
            "%s, median of rounds: throughput %+.1f%% [%+.1f, %+.1f], CPU per record %+.1f%% "
            "[%+.1f, %+.1f]\n",
            what, 100.0 * (median(rate) - 1), 100.0 * (rateLo - 1), 100.0 * (rateHi - 1),
            100.0 * (median(cpu) - 1), 100.0 * (cpuLo - 1), 100.0 * (cpuHi - 1));
    };
    report("GUI (3) vs headless (1)", rate31, cpu31);
    report("drawing alone, (3) vs (2)", rate32, cpu32);
    report("controller alone, (2) vs (1)", rate21, cpu21);
    return 0;
}
