#include "AnimNode_StagecraftFace.h"

#include "Animation/AnimInstance.h"
#include "Animation/AnimInstanceProxy.h"
#include "ExpressionManagerComponent.h"
#include "Modules/ModuleManager.h"
#include "Stagecraft/gen/rigs.h"

IMPLEMENT_MODULE(FDefaultModuleImpl, StagecraftFace)

void FAnimNode_StagecraftFace::Initialize_AnyThread(const FAnimationInitializeContext& Context)
{
	Source.Initialize(Context);
	if (Names.Num() == 0)
	{
		for (const char* Name : stagecraft::rigs::kArkitNames)
			Names.Add(FName(UTF8_TO_TCHAR(Name)));
		// A one-to-one profile renames each blendshape; the generic profile keeps ARKit's names.
		for (const stagecraft::rigs::RigProfileData& P : stagecraft::rigs::kRigProfiles)
			if (CurveNames.ToString() == UTF8_TO_TCHAR(P.name) && P.link_count == stagecraft::rigs::kBlendshapeCount)
				for (size_t I = 0; I < P.link_count; ++I)
					Names[P.links[I].blendshape] = FName(UTF8_TO_TCHAR(P.links[I].curve));
		Weights.Init(0.f, Names.Num());
	}
}

void FAnimNode_StagecraftFace::CacheBones_AnyThread(const FAnimationCacheBonesContext& Context) { Source.CacheBones(Context); }

void FAnimNode_StagecraftFace::Update_AnyThread(const FAnimationUpdateContext& Context)
{
	GetEvaluateGraphExposedInputs().Execute(Context);
	Source.Update(Context);
}

// Game thread: copy this tick's weights (the expression manager has already eased them).
void FAnimNode_StagecraftFace::PreUpdate(const UAnimInstance* InAnimInstance)
{
	const USkeletalMeshComponent* Mesh = InAnimInstance ? InAnimInstance->GetSkelMeshComponent() : nullptr;
	const AActor* Owner = Mesh ? Mesh->GetOwner() : nullptr;
	const UExpressionManagerComponent* Face = Owner ? Owner->FindComponentByClass<UExpressionManagerComponent>() : nullptr;
	if (Face && Face->GetArkitWeights().Num() == Weights.Num())
		Weights = Face->GetArkitWeights();
}

void FAnimNode_StagecraftFace::Evaluate_AnyThread(FPoseContext& Output)
{
	Source.Evaluate(Output);
	for (int32 I = 0; I < Names.Num(); ++I)
	{
		const float In = Output.Curve.Get(Names[I]);
		Output.Curve.Set(Names[I], FMath::Lerp(In, Weights[I], Alpha));
	}
}

void FAnimNode_StagecraftFace::GatherDebugData(FNodeDebugData& DebugData)
{
	DebugData.AddDebugItem(FString::Printf(TEXT("Stagecraft Face (jawOpen %.2f, alpha %.2f)"), Weights.Num() > 17 ? Weights[17] : 0.f, Alpha));
	Source.GatherDebugData(DebugData);
}
