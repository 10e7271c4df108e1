// The only Unreal file of the core: it makes the core a module. CMake leaves Private/UE/ out.
#include "Modules/ModuleManager.h"

IMPLEMENT_MODULE(FDefaultModuleImpl, StagecraftCore)
