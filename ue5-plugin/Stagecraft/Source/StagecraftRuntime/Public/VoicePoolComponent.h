// A pool of procedural voices for one actor. Each voice is a USoundWaveProcedural whose
// underflow callback (audio render thread) pulls the performance's samples from the core's
// jitter buffer and advances its audio clock by the samples rendered. The callback holds only a
// weak pointer to its voice; EndPlay unbinds every callback before the component goes away.
#pragma once

#include <memory>

#include "Components/ActorComponent.h"
#include "CoreMinimal.h"
#include "StagecraftTypes.h"
#include "VoicePoolComponent.generated.h"

class UAudioComponent;
class USoundWaveProcedural;
namespace stagecraft
{
class Performance;
}

/** One voice's state shared with the audio render thread (never a UObject). */
struct FStagecraftVoiceSlot
{
	std::shared_ptr<stagecraft::Performance> Performance;  // read and swapped with std::atomic_load/store
	TArray<int16> Scratch;                                  // render-thread only
};

UCLASS(ClassGroup = (Stagecraft), meta = (BlueprintSpawnableComponent))
class STAGECRAFTRUNTIME_API UVoicePoolComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UVoicePoolComponent();

	/** The cast member ids whose lines this actor voices (usually one). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft")
	TArray<FString> NpcIds;

	/** Voices that may play at once (a new line for the same NPC replaces its voice's line). */
	UPROPERTY(EditAnywhere, Category = "Stagecraft", meta = (ClampMin = "1", ClampMax = "8"))
	int32 PoolSize = 2;

	/** Where the voices play from (defaults to the owner's root). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft")
	TObjectPtr<USceneComponent> AttachTo;

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type Reason) override;

private:
	void HandleStarted(const FStagecraftPerformance& P);
	int32 PickVoice(const FString& NpcId);

	UPROPERTY(Transient) TArray<TObjectPtr<USoundWaveProcedural>> Waves;
	UPROPERTY(Transient) TArray<TObjectPtr<UAudioComponent>> Players;
	TArray<TSharedPtr<FStagecraftVoiceSlot, ESPMode::ThreadSafe>> Slots;
	TArray<FString> SlotNpc;
	FDelegateHandle StartedHandle;
};
