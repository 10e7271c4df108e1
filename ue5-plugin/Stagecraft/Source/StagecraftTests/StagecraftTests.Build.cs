// StagecraftTests: UE Automation tests that replay the core's golden wire vectors in the engine.
using UnrealBuildTool;

public class StagecraftTests : ModuleRules
{
	public StagecraftTests(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		PrivateDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "Json", "Projects", "StagecraftCore" });
	}
}
