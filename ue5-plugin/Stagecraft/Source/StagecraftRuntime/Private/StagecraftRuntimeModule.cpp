#include "Modules/ModuleManager.h"
#include "StagecraftLog.h"

DEFINE_LOG_CATEGORY(LogStagecraft);

IMPLEMENT_MODULE(FDefaultModuleImpl, StagecraftRuntime)
