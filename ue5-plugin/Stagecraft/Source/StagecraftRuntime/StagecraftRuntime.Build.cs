// StagecraftRuntime: the thin Unreal layer over StagecraftCore: the subsystem that owns one
// connection per scene, and the components a game programmer places on NPCs.
using UnrealBuildTool;

public class StagecraftRuntime : ModuleRules
{
	public StagecraftRuntime(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		CppStandard = CppStandardVersion.Cpp17;
		PublicDependencyModuleNames.AddRange(new string[] {
			"Core", "CoreUObject", "Engine", "DeveloperSettings", "StagecraftCore",
		});
		PrivateDependencyModuleNames.AddRange(new string[] {
			"AudioMixer", "HTTP", "Json", "WebSockets",
		});
	}
}
