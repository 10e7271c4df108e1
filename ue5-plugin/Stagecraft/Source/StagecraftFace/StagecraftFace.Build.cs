// StagecraftFace: the AnimGraph node that writes ARKit-named curves from an NPC's face.
using UnrealBuildTool;

public class StagecraftFace : ModuleRules
{
	public StagecraftFace(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "AnimGraphRuntime" });
		PrivateDependencyModuleNames.AddRange(new string[] { "StagecraftCore", "StagecraftRuntime" });
	}
}
