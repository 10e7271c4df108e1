// The plugin's one log category.
#pragma once

#include "Logging/LogMacros.h"

STAGECRAFTRUNTIME_API DECLARE_LOG_CATEGORY_EXTERN(LogStagecraft, Log, All);
