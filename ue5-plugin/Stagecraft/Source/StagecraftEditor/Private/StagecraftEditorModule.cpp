#include "AnimGraphNode_StagecraftFace.h"
#include "Modules/ModuleManager.h"
#include "StagecraftRigProfile.h"
#include "StagecraftRigProfileFactory.h"

#define LOCTEXT_NAMESPACE "StagecraftEditor"

FText UAnimGraphNode_StagecraftFace::GetNodeTitle(ENodeTitleType::Type) const
{
	return LOCTEXT("Title", "Stagecraft Face (ARKit curves)");
}

FText UAnimGraphNode_StagecraftFace::GetTooltipText() const
{
	return LOCTEXT("Tooltip", "Writes the NPC's ARKit-52 weights as curves; place before mh_arkit_mapping_pose on a MetaHuman face.");
}

FString UAnimGraphNode_StagecraftFace::GetNodeCategory() const { return TEXT("Stagecraft"); }

UStagecraftRigProfileFactory::UStagecraftRigProfileFactory()
{
	SupportedClass = UStagecraftRigProfile::StaticClass();
	bCreateNew = true;
	bEditAfterNew = true;
}

UObject* UStagecraftRigProfileFactory::FactoryCreateNew(UClass* Class, UObject* Parent, FName Name, EObjectFlags Flags,
	UObject*, FFeedbackContext*)
{
	UStagecraftRigProfile* Profile = NewObject<UStagecraftRigProfile>(Parent, Class, Name, Flags);
	Profile->LoadBuiltIn(TEXT("generic"));
	return Profile;
}

#undef LOCTEXT_NAMESPACE

IMPLEMENT_MODULE(FDefaultModuleImpl, StagecraftEditor)
