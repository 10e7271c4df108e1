#include "BodyLanguageComponent.h"

#include "Animation/AnimInstance.h"
#include "Animation/AnimMontage.h"
#include "Components/SkeletalMeshComponent.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "StagecraftSubsystem.h"

void UBodyLanguageComponent::BeginPlay()
{
	Super::BeginPlay();
	if (UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>())
		CueHandle = Stage->OnCueNative.AddUObject(this, &UBodyLanguageComponent::HandleCue);
}

void UBodyLanguageComponent::EndPlay(const EEndPlayReason::Type Reason)
{
	if (UGameInstance* GI = GetWorld() ? GetWorld()->GetGameInstance() : nullptr)
		if (UStagecraftSubsystem* Stage = GI->GetSubsystem<UStagecraftSubsystem>())
			Stage->OnCueNative.Remove(CueHandle);
	Super::EndPlay(Reason);
}

void UBodyLanguageComponent::HandleCue(const FStagecraftCue& Cue)
{
	if (Cue.NpcId != NpcId)
		return;
	OnCue.Broadcast(Cue);
	OnCueNative.Broadcast(Cue);
	UAnimInstance* Anim = Mesh ? Mesh->GetAnimInstance() : nullptr;
	if (!Anim)
		return;
	if (Cue.Kind == TEXT("gesture_stop"))
	{
		if (Gesture)
			Anim->Montage_Stop(0.2f, Gesture);
		Gesture = nullptr;
		return;
	}
	const TObjectPtr<UAnimMontage>* Montage = Montages.Find(Cue.Kind);
	if (!Montage || !*Montage)
		return;
	Anim->Montage_Play(*Montage, 1.f);
	if (Cue.Kind == TEXT("gesture_start"))
		Gesture = *Montage;
}
