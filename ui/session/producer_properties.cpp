#include "session/producer_properties.h"

#include <QFile>

#include "producer/producer_config.h"

namespace bs::ui {

Result<PropertyMap> loadProducerProperties(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return Error{"cannot be read"};
    auto kv = producer::ProducerConfig::parsePropertiesText(file.readAll().toStdString());
    if (!kv) return kv.error();
    PropertyMap props;
    for (const auto& [k, v] : *kv)
        props[k] = v;
    // Checked as the producer will: a placeholder bootstrap list when the file has none.
    auto check = props;
    if (!check.count("bootstrap.servers")) check["bootstrap.servers"] = "localhost:9092";
    if (auto parsed = producer::ProducerConfig::parse(check); !parsed) return parsed.error();
    return props;
}

}  // namespace bs::ui
