#include "theme.h"

#include <memory>

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace bs::ui {

namespace {
bool isDark(const QPalette& p) {
    return p.color(QPalette::Window).lightness() < 128;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1f, 0x21, 0x24), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3d));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8d, 0x93));
    p.setColor(QPalette::Mid, QColor(0x45, 0x48, 0x4e));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
    p.setColor(QPalette::Light, QColor(0x50, 0x53, 0x5a));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7a, 0x7d, 0x83));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7a, 0x7d, 0x83));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x7d, 0x83));
    return p;
}

QPalette lightPalette() {
    // The style only lends its palette: owned here, not by the application.
    std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion->standardPalette();
    p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd0));
    return p;
}
}  // namespace

void applyTheme(Theme theme) {
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    switch (theme) {
        case Theme::Dark:
            QApplication::setPalette(darkPalette());
            break;
        case Theme::Light:
            QApplication::setPalette(lightPalette());
            break;
        case Theme::System:
            QApplication::setPalette(QApplication::style()->standardPalette());
            break;
    }
}

Theme themeFromName(const QString& name) {
    if (name == QLatin1String("dark")) return Theme::Dark;
    if (name == QLatin1String("light")) return Theme::Light;
    return Theme::System;
}

QString themeName(Theme theme) {
    switch (theme) {
        case Theme::Dark:
            return QStringLiteral("dark");
        case Theme::Light:
            return QStringLiteral("light");
        case Theme::System:
            break;
    }
    return QStringLiteral("system");
}

ViewColors ViewColors::from(const QPalette& p) {
    ViewColors c;
    const bool dark = isDark(p);
    c.base = p.color(QPalette::Base);
    c.laneA = c.base;
    c.laneB = dark ? c.base.lighter(112) : c.base.darker(104);
    c.text = p.color(QPalette::Text);
    c.dim = dark ? QColor(0x9a, 0x9d, 0xa3) : QColor(0x6b, 0x70, 0x78);
    c.grid = dark ? QColor(0x45, 0x48, 0x4e) : QColor(0xd5, 0xd8, 0xde);
    c.open = dark ? QColor(0x4d, 0xa3, 0xff) : QColor(0x1f, 0x6f, 0xd6);
    c.closed = dark ? QColor(0xf0, 0xb4, 0x29) : QColor(0xd9, 0x8e, 0x04);
    c.inFlight = dark ? QColor(0xb3, 0x88, 0xff) : QColor(0x7b, 0x4d, 0xd6);
    c.retrying = dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd6, 0x33, 0x33);
    c.drained = dark ? QColor(0x4c, 0xc9, 0x8a) : QColor(0x1f, 0x9d, 0x5c);
    c.ok = c.drained;
    c.error = c.retrying;
    c.linger = dark ? QColor(0x7d, 0xd3, 0xe8) : QColor(0x0e, 0x8f, 0xaa);
    c.warn = c.closed;
    return c;
}

QColor ViewColors::forState(producer::BatchState state) const {
    switch (state) {
        case producer::BatchState::Open:
            return open;
        case producer::BatchState::Closed:
            return closed;
        case producer::BatchState::InFlight:
            return inFlight;
        case producer::BatchState::Retrying:
            return retrying;
        case producer::BatchState::Done:
            return drained;
    }
    return open;
}

}  // namespace bs::ui
