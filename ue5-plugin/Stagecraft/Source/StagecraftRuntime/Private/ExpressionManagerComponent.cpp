#include "ExpressionManagerComponent.h"

#include "Components/SkeletalMeshComponent.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "Stagecraft/gen/rigs.h"
#include "Stagecraft/performance.h"
#include "StagecraftLog.h"
#include "StagecraftRigProfile.h"
#include "StagecraftSubsystem.h"

UExpressionManagerComponent::UExpressionManagerComponent()
{
	PrimaryComponentTick.bCanEverTick = true;
	PrimaryComponentTick.TickGroup = TG_PrePhysics;  // before animation reads the curves
	Weights.Init(0.f, stagecraft::rigs::kBlendshapeCount);
}

void UExpressionManagerComponent::BeginPlay()
{
	Super::BeginPlay();
	Profile = RigProfile;
	if (!Profile)
	{
		Profile = NewObject<UStagecraftRigProfile>(this);
		if (!Profile->LoadBuiltIn(BuiltInProfile))
			UE_LOG(LogStagecraft, Error, TEXT("%s: no built-in rig profile \"%s\" (metahuman, generic, livelink)"),
				*GetPathName(), *BuiltInProfile.ToString());
	}
}

void UExpressionManagerComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>();
	std::shared_ptr<stagecraft::Performance> P = Stage ? Stage->FindPerformance(NpcId) : nullptr;
	if (!P)
	{
		for (float& W : Weights)
			W = 0.f;
	}
	else
	{
		const stagecraft::FaceWeights F = P->face_at(P->position_ms(UStagecraftSubsystem::NowMs()));
		for (int32 I = 0; I < Weights.Num(); ++I)
		{
			const bool bUnscaled = I <= 4 || (I >= 7 && I <= 11);  // blinks and gaze
			Weights[I] = FMath::Clamp(bUnscaled ? F[I] : F[I] * Expressiveness, 0.f, 1.f);
		}
	}
	if (Output == EStagecraftFaceOutput::MorphTargets && Mesh && Profile)
	{
		Profile->Apply(Weights.GetData(), Curves);
		for (const auto& It : Curves)
			Mesh->SetMorphTarget(It.Key, It.Value, false);
	}
}
