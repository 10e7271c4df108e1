#include "VoicePoolComponent.h"

#include "Components/AudioComponent.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "Sound/SoundWaveProcedural.h"
#include "Stagecraft/performance.h"
#include "StagecraftSubsystem.h"

UVoicePoolComponent::UVoicePoolComponent() { PrimaryComponentTick.bCanEverTick = false; }

void UVoicePoolComponent::BeginPlay()
{
	Super::BeginPlay();
	UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>();
	StartedHandle = Stage->OnPerformanceStartedNative.AddUObject(this, &UVoicePoolComponent::HandleStarted);
	USceneComponent* Parent = AttachTo ? AttachTo.Get() : GetOwner()->GetRootComponent();
	for (int32 I = 0; I < PoolSize; ++I)
	{
		USoundWaveProcedural* Wave = NewObject<USoundWaveProcedural>(this);
		Wave->NumChannels = 1;
		Wave->SetSampleRate(22050);  // replaced by each line's own rate when it starts
		Wave->Duration = INDEFINITELY_LOOPING_DURATION;
		Wave->SoundGroup = SOUNDGROUP_Voice;
		Wave->bLooping = false;
		TSharedPtr<FStagecraftVoiceSlot, ESPMode::ThreadSafe> Slot = MakeShared<FStagecraftVoiceSlot, ESPMode::ThreadSafe>();
		TWeakPtr<FStagecraftVoiceSlot, ESPMode::ThreadSafe> Weak = Slot;
		// Audio render thread. No UObject but the wave handed in is touched; no allocation once
		// the scratch buffer has grown to the mixer's callback size.
		Wave->OnSoundWaveProceduralUnderflow = FOnSoundWaveProceduralUnderflow::CreateLambda(
			[Weak](USoundWaveProcedural* InWave, int32 SamplesRequired) {
				TSharedPtr<FStagecraftVoiceSlot, ESPMode::ThreadSafe> S = Weak.Pin();
				if (!S)
					return;
				std::shared_ptr<stagecraft::Performance> P = std::atomic_load(&S->Performance);
				if (!P || SamplesRequired <= 0)
					return;
				S->Scratch.SetNumUninitialized(SamplesRequired, EAllowShrinking::No);
				P->render(S->Scratch.GetData(), size_t(SamplesRequired), UStagecraftSubsystem::NowMs());
				InWave->QueueAudio(reinterpret_cast<const uint8*>(S->Scratch.GetData()), SamplesRequired * sizeof(int16));
			});
		UAudioComponent* Player = NewObject<UAudioComponent>(GetOwner());
		Player->bAutoActivate = false;
		Player->SetupAttachment(Parent);
		Player->RegisterComponent();
		Player->SetSound(Wave);
		Waves.Add(Wave);
		Players.Add(Player);
		Slots.Add(Slot);
		SlotNpc.Add(FString());
	}
}

void UVoicePoolComponent::EndPlay(const EEndPlayReason::Type Reason)
{
	if (UGameInstance* GI = GetWorld() ? GetWorld()->GetGameInstance() : nullptr)
		if (UStagecraftSubsystem* Stage = GI->GetSubsystem<UStagecraftSubsystem>())
			Stage->OnPerformanceStartedNative.Remove(StartedHandle);
	for (int32 I = 0; I < Waves.Num(); ++I)
	{
		Waves[I]->OnSoundWaveProceduralUnderflow.Unbind();
		Players[I]->Stop();
		std::atomic_store(&Slots[I]->Performance, std::shared_ptr<stagecraft::Performance>());
	}
	Slots.Empty();
	Super::EndPlay(Reason);
}

int32 UVoicePoolComponent::PickVoice(const FString& NpcId)
{
	int32 Free = INDEX_NONE;
	for (int32 I = 0; I < Slots.Num(); ++I)
	{
		if (SlotNpc[I] == NpcId)
			return I;  // a new line for the NPC takes over its voice
		std::shared_ptr<stagecraft::Performance> P = std::atomic_load(&Slots[I]->Performance);
		if (Free == INDEX_NONE && (!P || P->audio_finished()))
			Free = I;
	}
	return Free;
}

void UVoicePoolComponent::HandleStarted(const FStagecraftPerformance& Started)
{
	if (!NpcIds.Contains(Started.NpcId))
		return;
	UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>();
	std::shared_ptr<stagecraft::Performance> P = Stage->FindPerformance(Started.NpcId);
	const int32 I = PickVoice(Started.NpcId);
	if (!P || I == INDEX_NONE)
		return;
	Waves[I]->SetSampleRate(int32(P->start().sample_rate));
	std::atomic_store(&Slots[I]->Performance, P);
	SlotNpc[I] = Started.NpcId;
	if (!Players[I]->IsPlaying())
		Players[I]->Play();
}
