// The conversation with one NPC: player lines out, the NPC's replies in, subtitles as a text
// stream in time with the voice, and a transcript of both sides.
#pragma once

#include "Components/ActorComponent.h"
#include "CoreMinimal.h"
#include "StagecraftTypes.h"
#include "DialogueManagerComponent.generated.h"

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftTranscriptLine
{
	GENERATED_BODY()
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString Speaker;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString Text;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") bool bInterrupted = false;
};

UCLASS(ClassGroup = (Stagecraft), meta = (BlueprintSpawnableComponent))
class STAGECRAFTRUNTIME_API UDialogueManagerComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FString SceneId = TEXT("tavern");
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FString NpcId;

	/** The player says a line to this NPC; the reply arrives as a performance with subtitles. */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft") FString SayToNpc(const FString& Text);
	/** The subtitle text of the reply so far (clauses appended as they are spoken). */
	UFUNCTION(BlueprintPure, Category = "Stagecraft") FString GetCurrentReply() const { return CurrentReply; }
	UFUNCTION(BlueprintPure, Category = "Stagecraft") const TArray<FStagecraftTranscriptLine>& GetTranscript() const { return Transcript; }

	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftSubtitleEvent OnSubtitle;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftPerformanceEvent OnReplyEnded;
	FStagecraftSubtitleNative OnSubtitleNative;
	FStagecraftPerformanceNative OnReplyEndedNative;

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type Reason) override;

private:
	void HandleSubtitle(const FStagecraftSubtitle& S);
	void HandleEnded(const FStagecraftPerformance& P);
	FString CurrentReply;
	TArray<FStagecraftTranscriptLine> Transcript;
	FDelegateHandle SubtitleHandle, EndedHandle;
};
