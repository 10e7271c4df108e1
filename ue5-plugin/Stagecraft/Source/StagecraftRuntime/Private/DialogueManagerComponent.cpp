#include "DialogueManagerComponent.h"

#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "StagecraftSubsystem.h"

void UDialogueManagerComponent::BeginPlay()
{
	Super::BeginPlay();
	if (UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>())
	{
		SubtitleHandle = Stage->OnSubtitleNative.AddUObject(this, &UDialogueManagerComponent::HandleSubtitle);
		EndedHandle = Stage->OnPerformanceEndedNative.AddUObject(this, &UDialogueManagerComponent::HandleEnded);
	}
}

void UDialogueManagerComponent::EndPlay(const EEndPlayReason::Type Reason)
{
	if (UGameInstance* GI = GetWorld() ? GetWorld()->GetGameInstance() : nullptr)
		if (UStagecraftSubsystem* Stage = GI->GetSubsystem<UStagecraftSubsystem>())
		{
			Stage->OnSubtitleNative.Remove(SubtitleHandle);
			Stage->OnPerformanceEndedNative.Remove(EndedHandle);
		}
	Super::EndPlay(Reason);
}

FString UDialogueManagerComponent::SayToNpc(const FString& Text)
{
	Transcript.Add({TEXT("player"), Text, false});
	UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>();
	return Stage ? Stage->SendPlayerLine(SceneId, NpcId, Text) : FString();
}

void UDialogueManagerComponent::HandleSubtitle(const FStagecraftSubtitle& S)
{
	if (S.NpcId != NpcId)
		return;
	CurrentReply = CurrentReply.IsEmpty() ? S.Text : CurrentReply + TEXT(" ") + S.Text;
	OnSubtitle.Broadcast(S);
	OnSubtitleNative.Broadcast(S);
}

void UDialogueManagerComponent::HandleEnded(const FStagecraftPerformance& P)
{
	if (P.NpcId != NpcId)
		return;
	// An interrupted line keeps only what was spoken before the cut: the subtitles released so far.
	Transcript.Add({NpcId, P.bInterrupted ? CurrentReply : P.Text, P.bInterrupted});
	CurrentReply.Reset();
	OnReplyEnded.Broadcast(P);
	OnReplyEndedNative.Broadcast(P);
}
