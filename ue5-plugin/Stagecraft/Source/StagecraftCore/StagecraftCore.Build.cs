// StagecraftCore: the engine-agnostic core (C++17, standard library only). The same sources are
// built and tested outside Unreal by ue5-plugin/CMakeLists.txt; only Private/UE/ is Unreal's.
using UnrealBuildTool;

public class StagecraftCore : ModuleRules
{
	public StagecraftCore(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.NoPCHs;
		CppStandard = CppStandardVersion.Cpp17;
		bEnableExceptions = false;
		bUseRTTI = false;
		// Files of the core keep their own anonymous namespaces; build them one by one.
		bUseUnity = false;
		PublicIncludePaths.Add(System.IO.Path.Combine(ModuleDirectory, "Public"));
		PrivateIncludePaths.Add(System.IO.Path.Combine(ModuleDirectory, "Private"));
		PrivateIncludePaths.Add(System.IO.Path.Combine(ModuleDirectory, "Private", "gen"));
		PublicDependencyModuleNames.Add("Core");
	}
}
