#pragma once

// The real main window against a real embedded cluster (3 nodes, topic `demo` with 6
// partitions) in a temporary data dir, for the GUI tests.

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "app_controller.h"
#include "main_window.h"

namespace bs::ui::test {

// The child of `parent` with this object name (set where the widget is built), as a user finds a
// control by what it is; null when there is none (the test's first use of it then fails).
template <class T>
T* child(const QObject* parent, const char* name) {
    return parent->findChild<T*>(QLatin1String(name));
}

struct Harness {
    explicit Harness(PropertyMap props = {}, bool autoCreate = true) {
        QStandardPaths::setTestModeEnabled(true);
        ConnectionSettings c;
        c.dataDir = dir.path();
        c.autoCreateTopics = autoCreate;
        controller = std::make_unique<AppController>();
        window = std::make_unique<MainWindow>(controller.get());
        window->resize(1400, 900);
        window->show();
        controller->session().connectTo(c, std::move(props));
    }
    ~Harness() {
        window.reset();
        controller.reset();
    }
    bool waitConnected(int timeoutMs = 30000) {
        return QTest::qWaitFor([this] { return controller->session().isConnected(); }, timeoutMs);
    }
    // Leader node of demo-<partition> (from the cluster dock's data source).
    int leaderOf(int partition) const {
        for (const auto& t : controller->session().clusterInfo().topics)
            if (t.name == QLatin1String("demo"))
                for (const auto& [p, leader] : t.partitions)
                    if (p == partition) return leader;
        return -1;
    }

    QTemporaryDir dir;
    std::unique_ptr<AppController> controller;
    std::unique_ptr<MainWindow> window;
};

}  // namespace bs::ui::test

using bs::ui::test::child;
