// The layering, checked on the sources: every #include in core/, ui/ and app/ must point along an
// allowed edge (docs/ARCHITECTURE.md):
//     common <- protocol, records <- client <- producer, consumer
//     common <- protocol, records <- storage <- broker
//     common <- security <- client, broker; producer, consumer (their configs hold the
//     parsed security settings)
//     common <- record_file (record files for import and export)
//     core <- ui <- app/gui;  core <- app/cli
// Nothing in core/ or app/cli/ includes Qt; nothing in ui/ includes socket code. A new directory
// must be given a layer here before it can include anything. CMake catches a missing link; this
// catches an include that a transitive include path would let through.

#include <QtTest>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Layer {
    std::string_view name;
    std::string_view dir;  // relative to the source root, with a trailing '/'
    // Where a quoted include is looked up, after the including file's own directory.
    std::vector<std::string_view> roots;
    std::set<std::string_view> mayInclude;  // other layers
    bool qtAllowed = false;
    bool socketsAllowed = true;
};

const std::set<std::string_view> kCore = {"common", "protocol",    "records",  "security",
                                          "client", "producer",    "consumer", "storage",
                                          "broker", "record_file", "core"};

// Longest directory first, so core/protocol/record/ wins over core/protocol/.
const std::vector<Layer>& layers() {
    static const std::vector<Layer> all = [] {
        std::vector<Layer> v = {
            {"common", "core/common/", {"core/"}, {}},
            {"records", "core/protocol/record/", {"core/"}, {"common"}},
            {"protocol", "core/protocol/", {"core/"}, {"common"}},
            // TLS contexts and SASL mechanisms, shared by the client and the broker.
            {"security", "core/security/", {"core/"}, {"common"}},
            {"client", "core/client/", {"core/"}, {"common", "protocol", "security"}},
            {"producer",
             "core/producer/",
             {"core/"},
             {"common", "protocol", "records", "security", "client"}},
            {"consumer",
             "core/consumer/",
             {"core/"},
             {"common", "protocol", "records", "security", "client"}},
            {"storage", "core/broker/storage/", {"core/"}, {"common", "protocol", "records"}},
            {"broker",
             "core/broker/",
             {"core/"},
             {"common", "protocol", "records", "storage", "security"}},
            // Record files (import/export): plain structs on common, no client.
            {"record_file", "core/record_file/", {"core/"}, {"common"}},
            {"core", "core/", {"core/"}, {}},
            {"ui", "ui/", {"ui/", "core/"}, kCore, true, false},
            {"cli", "app/cli/", {"app/cli/", "core/"}, kCore},
            {"gui", "app/gui/", {"app/gui/", "ui/", "core/"}, kCore, true},
        };
        v.back().mayInclude.insert("ui");
        std::sort(v.begin(), v.end(),
                  [](const Layer& a, const Layer& b) { return a.dir.size() > b.dir.size(); });
        return v;
    }();
    return all;
}

const Layer* layerOf(std::string_view relPath) {
    for (const Layer& l : layers())
        if (relPath.starts_with(l.dir)) return &l;
    return nullptr;
}

struct Include {
    int line;
    bool angled;
    std::string path;
};

// `#include <x>` / `#include "x"` lines (the preprocessor's own spelling, spaces allowed).
std::vector<Include> includesOf(const std::string& text) {
    std::vector<Include> out;
    size_t pos = 0;
    int line = 0;
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        ++line;
        std::string_view l(text.data() + pos, end - pos);
        pos = end + 1;
        auto skip = [&l] {
            while (!l.empty() && (l.front() == ' ' || l.front() == '\t'))
                l.remove_prefix(1);
        };
        skip();
        if (!l.starts_with('#')) continue;
        l.remove_prefix(1);
        skip();
        if (!l.starts_with("include")) continue;
        l.remove_prefix(7);
        skip();
        if (l.empty() || (l.front() != '<' && l.front() != '"')) continue;
        const char close = l.front() == '<' ? '>' : '"';
        const size_t stop = l.find(close, 1);
        if (stop == std::string_view::npos) continue;
        out.push_back({line, close == '>', std::string(l.substr(1, stop - 1))});
    }
    return out;
}

bool isQt(std::string_view h) {
    return (h.size() > 1 && h[0] == 'Q' && std::isupper(static_cast<unsigned char>(h[1]))) ||
           h.starts_with("Qt") || h.starts_with("qt");
}

bool isSocketCode(std::string_view h) {
    for (std::string_view s : {"boost/asio", "sys/socket.h", "netinet/", "arpa/", "netdb.h",
                               "QTcpSocket", "QUdpSocket", "QtNetwork", "QNetwork"})
        if (h.starts_with(s)) return true;
    return false;
}

// Files the build generates next to the sources' names (moc output).
bool isGenerated(std::string_view h) {
    return h.ends_with(".moc") || h.starts_with("moc_") || h.starts_with("ui_");
}

// One source file's violations. `exists` answers whether a path (relative to the root) exists.
template <class Exists>
std::vector<std::string> check(const std::string& relPath, const std::string& text,
                               const Exists& exists, std::map<std::string, int>* edges = nullptr) {
    std::vector<std::string> bad;
    const Layer* from = layerOf(relPath);
    if (!from) return {relPath + ": no layer for this directory (add it to test_include_matrix)"};
    const std::string dir = fs::path(relPath).parent_path().string() + "/";
    for (const Include& inc : includesOf(text)) {
        const std::string where = relPath + ":" + std::to_string(inc.line) + ": #include " +
                                  (inc.angled ? "<" : "\"") + inc.path + (inc.angled ? ">" : "\"");
        if (inc.angled) {
            if (isQt(inc.path) && !from->qtAllowed)
                bad.push_back(where + ": Qt in layer " + std::string(from->name));
            if (isSocketCode(inc.path) && !from->socketsAllowed)
                bad.push_back(where + ": socket code in layer " + std::string(from->name));
            continue;
        }
        if (isGenerated(inc.path)) continue;
        std::optional<std::string> target;
        std::vector<std::string> candidates = {dir + inc.path};
        for (std::string_view root : from->roots)
            candidates.push_back(std::string(root) + inc.path);
        for (const std::string& c : candidates) {
            const std::string normal = fs::path(c).lexically_normal().string();
            if (exists(normal)) {
                target = normal;
                break;
            }
        }
        if (!target) {
            bad.push_back(where + ": not found from layer " + std::string(from->name));
            continue;
        }
        const Layer* to = layerOf(*target);
        if (!to) {
            bad.push_back(where + ": includes a file outside every layer");
            continue;
        }
        if (to == from) continue;
        if (edges) ++(*edges)[std::string(from->name) + " -> " + std::string(to->name)];
        if (!from->mayInclude.contains(to->name))
            bad.push_back(where + ": layer " + std::string(from->name) + " may not include " +
                          std::string(to->name));
    }
    return bad;
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

class IncludeMatrixTest : public QObject {
    Q_OBJECT

    const fs::path root_ = BS_SOURCE_DIR;

  private Q_SLOTS:
    void everyIncludeFollowsTheLayers() {
        std::vector<std::string> bad;
        std::map<std::string, int> files, edges;
        const auto exists = [this](const std::string& rel) {
            return fs::is_regular_file(root_ / rel);
        };
        for (const char* top : {"core", "ui", "app"}) {
            for (const auto& e : fs::recursive_directory_iterator(root_ / top)) {
                const std::string ext = e.path().extension().string();
                if (!e.is_regular_file() || (ext != ".h" && ext != ".cpp")) continue;
                const std::string rel = fs::relative(e.path(), root_).string();
                if (const Layer* l = layerOf(rel)) ++files[std::string(l->name)];
                for (std::string& b : check(rel, readAll(e.path()), exists, &edges))
                    bad.push_back(std::move(b));
            }
        }
        std::string report;
        for (const std::string& b : bad)
            report += "\n  " + b;
        QVERIFY2(bad.empty(), qPrintable(QStringLiteral("%1 include(s) against the layering:%2")
                                             .arg(bad.size())
                                             .arg(QString::fromStdString(report))));
        // The scan saw the tree: every layer has files, and the edges it is built on were read.
        for (const Layer& l : layers())
            QVERIFY2(files[std::string(l.name)] > 0, l.name.data());
        for (const char* edge : {"producer -> client", "consumer -> client", "client -> protocol",
                                 "broker -> storage", "ui -> producer", "gui -> ui"})
            QVERIFY2(edges[edge] > 0, edge);
    }

    // The checker itself, on made-up files: each forbidden edge is reported, naming the file,
    // the line and the layers; the allowed ones are not.
    void theCheckerNamesEachForbiddenEdge() {
        const std::set<std::string> tree = {"core/client/metadata.h",  "core/producer/sender.h",
                                            "core/protocol/errors.h",  "core/broker/node.h",
                                            "core/consumer/fetcher.h", "ui/main_window.h",
                                            "core/common/result.h",    "core/client/x.h"};
        const auto exists = [&tree](const std::string& p) { return tree.contains(p); };
        const auto one = [&](const std::string& file, const std::string& text) {
            auto bad = check(file, text, exists);
            return bad.size() == 1 ? bad.front() : std::to_string(bad.size()) + " violations";
        };
        QCOMPARE(one("core/client/x.h", "#include <vector>\n#include \"producer/sender.h\"\n"),
                 std::string("core/client/x.h:2: #include \"producer/sender.h\": layer client "
                             "may not include producer"));
        QVERIFY(one("core/consumer/fetcher.h", "# include \"producer/sender.h\"")
                    .ends_with("layer consumer may not include producer"));
        QVERIFY(one("core/broker/node.h", "#include \"client/metadata.h\"")
                    .ends_with("layer broker may not include client"));
        QVERIFY(one("core/protocol/errors.h", "#include \"broker/node.h\"")
                    .ends_with("layer protocol may not include broker"));
        QVERIFY(one("core/producer/sender.h", "#include \"ui/main_window.h\"")
                    .ends_with("not found from layer producer"));
        QVERIFY(
            one("core/producer/sender.h", "#include <QString>").ends_with("Qt in layer producer"));
        QVERIFY(one("ui/main_window.h", "#include <boost/asio/ip/tcp.hpp>")
                    .ends_with("socket code in layer ui"));
        QCOMPARE(
            one("lib/a.h", ""),
            std::string("lib/a.h: no layer for this directory (add it to test_include_matrix)"));
        // Allowed: client -> common, producer -> client, ui -> producer, same-directory includes.
        QCOMPARE(
            check("core/client/x.h",
                  "#include \"common/result.h\"\n#include \"metadata.h\"\n#include <map>", exists)
                .size(),
            size_t{0});
        QCOMPARE(check("core/producer/sender.h", "#include \"client/metadata.h\"", exists).size(),
                 size_t{0});
        QCOMPARE(
            check("ui/main_window.h", "#include <QWidget>\n#include \"producer/sender.h\"", exists)
                .size(),
            size_t{0});
    }
};

QTEST_GUILESS_MAIN(IncludeMatrixTest)
#include "test_include_matrix.moc"
