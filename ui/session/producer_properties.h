#pragma once

#include <QString>

#include "common/result.h"
#include "session/cluster_session.h"

namespace bs::ui {

// A producer properties file as the GUI takes it (`batchscope --producer.config FILE`): Java
// .properties syntax, and every key and value checked as the producer will check them, so a bad
// file is named at start-up rather than later in the status bar. bootstrap.servers, when
// present, is kept in the map (the caller decides what it means for the connection).
Result<PropertyMap> loadProducerProperties(const QString& path);

}  // namespace bs::ui
