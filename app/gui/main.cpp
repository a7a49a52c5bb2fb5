// batchscope: the desktop application. With no arguments it starts the embedded 3-node cluster
// (topic `demo`, 6 partitions) and connects to it.

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

#include "app_controller.h"
#include "demo_runner.h"
#include "lessons/lesson.h"
#include "lessons/lesson_runner.h"
#include "lessons/lessons_panel.h"
#include "main_window.h"
#include "session/password_store.h"
#include "session/producer_properties.h"
#include "version.h"

using namespace bs::ui;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Batchscope"));
    QApplication::setApplicationName(QStringLiteral("batchscope"));
    const std::string_view version = bs::version();
    QApplication::setApplicationVersion(
        QString::fromUtf8(version.data(), static_cast<qsizetype>(version.size())));

    QCommandLineParser cli;
    cli.setApplicationDescription(
        QStringLiteral("Publish to Kafka and watch how the producer sends each record."));
    cli.addHelpOption();
    cli.addVersionOption();
    QCommandLineOption bootstrap(QStringLiteral("bootstrap-server"),
                                 QStringLiteral("Connect to an external cluster (host:port,...)."),
                                 QStringLiteral("LIST"));
    QCommandLineOption config(QStringLiteral("producer.config"),
                              QStringLiteral("Producer properties file."), QStringLiteral("FILE"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the main window to a PNG and exit."),
                                  QStringLiteral("FILE"));
    QCommandLineOption demo(QStringLiteral("demo"),
                            QStringLiteral("With --screenshot: run the built-in demo first."));
    QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                             QStringLiteral("NAME"));
    QCommandLineOption lesson(
        QStringLiteral("lesson"),
        QStringLiteral("Start a lesson (its id, e.g. batching, or its title); with --screenshot: "
                       "render its first step once the step's outcome was seen."),
        QStringLiteral("NAME"));
    cli.addOptions({bootstrap, config, screenshot, demo, theme, lesson});
    cli.process(app);

    const bool shooting = cli.isSet(screenshot);
    // Screenshots use a fresh cluster and settings, never the user's.
    std::unique_ptr<QTemporaryDir> scratch;
    if (shooting) {
        scratch = std::make_unique<QTemporaryDir>();
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch->path());
    }
    QSettings settings;

    ConnectionSettings conn = ConnectionSettings::load(settings);
    if (cli.isSet(bootstrap)) {
        conn.mode = ConnectionSettings::Mode::External;
        conn.bootstrapServers = cli.value(bootstrap);
    }
    if (shooting) {
        conn = ConnectionSettings{};
        conn.dataDir = scratch->path() + QStringLiteral("/cluster");
        if (cli.isSet(bootstrap)) {
            conn.mode = ConnectionSettings::Mode::External;
            conn.bootstrapServers = cli.value(bootstrap);
        }
    }

    PropertyMap props;
    if (!shooting) {
        settings.beginGroup(QStringLiteral("producer"));
        for (const QString& k : settings.childKeys())
            props[k.toStdString()] = settings.value(k).toString().toStdString();
        settings.endGroup();
    }
    if (cli.isSet(config)) {
        auto loaded = loadProducerProperties(cli.value(config));
        if (!loaded) {
            std::fprintf(stderr, "batchscope: %s: %s\n", qPrintable(cli.value(config)),
                         loaded.error().message.c_str());
            return 2;
        }
        props = std::move(*loaded);
        if (auto it = props.find("bootstrap.servers"); it != props.end()) {
            if (!cli.isSet(bootstrap) && !it->second.empty()) {
                conn.mode = ConnectionSettings::Mode::External;
                conn.bootstrapServers = QString::fromStdString(it->second);
            }
            props.erase(it);
        }
    }
    if (shooting && cli.isSet(demo))
        for (const auto& [k, v] : DemoRunner::demoProducerProps())
            props.emplace(k, v);

    AppController controller;
    MainWindow window(&controller);
    if (shooting) {
        window.setTheme(cli.isSet(theme) ? themeFromName(cli.value(theme)) : Theme::Light);
        window.resize(1680, 1050);
    } else {
        window.restoreLayout();
        if (cli.isSet(theme)) window.setTheme(themeFromName(cli.value(theme)));
    }
    window.show();

    DemoRunner* runner = nullptr;
    if (cli.isSet(lesson)) {
        auto* panel = window.findChild<LessonsPanel*>();
        const QString name = cli.value(lesson);
        bool known = false;
        for (const Lesson& l : panel->lessons())
            known = known || l.id == name || l.title == name;
        if (!known) {
            QStringList ids;
            for (const Lesson& l : panel->lessons())
                ids << l.id;
            std::fprintf(stderr, "batchscope: no lesson '%s' (lessons: %s)\n", qPrintable(name),
                         qPrintable(ids.join(QStringLiteral(", "))));
            return 2;
        }
        QObject::connect(&controller.session(), &ClusterSession::connected, panel, [panel, name] {
            if (!panel->runner()->active()) panel->startLesson(name);
        });
        if (shooting) {
            // The first step's outcome seen (or a minute gone), painted, then the PNG.
            const QString path = cli.value(screenshot);
            auto shoot = [&window, path](int code) {
                const QPixmap shot = window.grab();
                const bool ok = !shot.isNull() && shot.save(path, "PNG");
                if (!ok) std::fprintf(stderr, "batchscope: could not write the screenshot\n");
                QApplication::exit(ok ? code : 1);
            };
            QObject::connect(panel->runner(), &LessonRunner::stepSeen, &window,
                             [shoot](int) { QTimer::singleShot(800, [shoot] { shoot(0); }); });
            QTimer::singleShot(60000, &window, [shoot, panel] {
                std::fprintf(stderr, "batchscope: lesson step not done within a minute: %s\n",
                             qPrintable(panel->runner()->unmet().join(QStringLiteral("; "))));
                shoot(2);
            });
        }
    } else if (shooting) {
        runner =
            new DemoRunner(&controller, &window, cli.value(screenshot), cli.isSet(demo), &window);
        QObject::connect(runner, &DemoRunner::finished, &app, [](int code) {
            if (code == 2)
                std::fprintf(stderr, "batchscope: screenshot taken before every view had data\n");
            if (code == 1) std::fprintf(stderr, "batchscope: could not write the screenshot\n");
            QApplication::exit(code);
        });
        runner->start();
    }
    if (conn.usesSasl() && conn.saslPassword.isEmpty()) {
        // A saved secured connection: its password is in the system keyring, if anywhere.
        auto* passwords = new PasswordStore(&window);
        passwords->load(conn.passwordAccount(),
                        [&controller, conn, props](const QString& password, const QString& error) {
                            ConnectionSettings withPassword = conn;
                            withPassword.saslPassword = password;
                            if (!error.isEmpty())
                                std::fprintf(stderr, "batchscope: SASL password of '%s': %s\n",
                                             qPrintable(conn.saslUsername), qPrintable(error));
                            controller.session().connectTo(withPassword, props);
                        });
    } else {
        controller.session().connectTo(conn, props);
    }
    return QApplication::exec();
}
