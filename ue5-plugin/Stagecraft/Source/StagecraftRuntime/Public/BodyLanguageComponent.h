// Body-language cues → montages: each cue for this NPC, released at its time on the line's
// audio clock, plays the montage its kind maps to (nod, head_shake, shrug, lean_in, point, wave,
// gesture_start); gesture_stop stops the gesture's montage.
#pragma once

#include "Components/ActorComponent.h"
#include "CoreMinimal.h"
#include "StagecraftTypes.h"
#include "BodyLanguageComponent.generated.h"

class UAnimMontage;
class USkeletalMeshComponent;

UCLASS(ClassGroup = (Stagecraft), meta = (BlueprintSpawnableComponent))
class STAGECRAFTRUNTIME_API UBodyLanguageComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FString NpcId;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") TObjectPtr<USkeletalMeshComponent> Mesh;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") TMap<FName, TObjectPtr<UAnimMontage>> Montages;

	/** Every cue for this NPC, before its montage plays. */
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftCueEvent OnCue;
	FStagecraftCueNative OnCueNative;

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type Reason) override;

private:
	void HandleCue(const FStagecraftCue& Cue);
	FDelegateHandle CueHandle;
	UPROPERTY(Transient) TObjectPtr<UAnimMontage> Gesture;
};
