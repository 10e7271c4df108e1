// StagecraftEditor: the AnimGraph node's editor class and the rig-profile asset factory.
using UnrealBuildTool;

public class StagecraftEditor : ModuleRules
{
	public StagecraftEditor(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "AnimGraph", "BlueprintGraph", "UnrealEd" });
		PrivateDependencyModuleNames.AddRange(new string[] { "StagecraftFace", "StagecraftRuntime" });
	}
}
