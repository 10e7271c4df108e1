// The game's door to Stagecraft: joins scenes (HTTP matchmaking, then one WebSocket per scene),
// sends proposals, lines and controls, and raises events on the game thread. Everything here
// runs on the game thread; socket callbacks only enqueue bytes (see FStagecraftConnection), and
// audio render callbacks reach a performance through the core's thread-safe parts only.
#pragma once

#include <memory>

#include "Containers/Ticker.h"
#include "CoreMinimal.h"
#include "StagecraftTypes.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "StagecraftSubsystem.generated.h"

class FStagecraftConnection;
namespace stagecraft
{
class Performance;
namespace wire
{
struct ClientMessage;
}
}

UCLASS()
class STAGECRAFTRUNTIME_API UStagecraftSubsystem : public UGameInstanceSubsystem
{
	GENERATED_BODY()

public:
	virtual void Initialize(FSubsystemCollectionBase& Collection) override;
	virtual void Deinitialize() override;

	/** Joins (or creates) a scene; Role is game, player or observer. */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	void JoinScene(const FString& SceneId, const FString& Role = TEXT("game"), const FString& DisplayName = TEXT(""));

	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	void LeaveScene(const FString& SceneId);

	/** An NPC proposes an action; OnVerdict answers with the same request id. */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	FString Propose(const FString& SceneId, const FString& ActorId, const FString& Verb, const FString& TargetId, float Amount);

	/** An NPC speaks a line; OnPerformanceStarted carries this request id. */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	FString Say(const FString& SceneId, const FString& NpcId, const FString& Text, bool bInterruptible = true);

	/** The player speaks to an NPC; the NPC answers with a performance. */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	FString SendPlayerLine(const FString& SceneId, const FString& NpcId, const FString& Text);

	/** Stops the NPC's current line (empty NpcId: every interruptible line in the scene). */
	UFUNCTION(BlueprintCallable, Category = "Stagecraft")
	FString Stop(const FString& SceneId, const FString& NpcId);

	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftPerformanceEvent OnPerformanceStarted;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftPerformanceEvent OnPerformanceEnded;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftVerdictEvent OnVerdict;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftCueEvent OnCue;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftDirectiveEvent OnDirective;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftSubtitleEvent OnSubtitle;
	UPROPERTY(BlueprintAssignable, Category = "Stagecraft") FStagecraftErrorEvent OnError;

	FStagecraftPerformanceNative OnPerformanceStartedNative;
	FStagecraftPerformanceNative OnPerformanceEndedNative;
	FStagecraftVerdictNative OnVerdictNative;
	FStagecraftCueNative OnCueNative;
	FStagecraftDirectiveNative OnDirectiveNative;
	FStagecraftSubtitleNative OnSubtitleNative;
	FStagecraftErrorNative OnErrorNative;

	/** The NPC's current performance (C++ only; an audio render callback may hold it). */
	std::shared_ptr<stagecraft::Performance> FindPerformance(const FString& NpcId) const;
	/** Milliseconds on the clock the audio render callbacks are given (FPlatformTime). */
	static double NowMs();

	// Called by the session listener on the game thread.
	void RaisePerformanceStarted(const FStagecraftPerformance& P);
	void RaisePerformanceEnded(const FStagecraftPerformance& P);
	void RaiseVerdict(const FStagecraftVerdict& V);
	void RaiseDirective(const FStagecraftDirective& D);
	void RaiseError(const FString& Field, const FString& Message);

private:
	bool Tick(float DeltaSeconds);
	void ReleaseTimed();
	FString Send(const FString& SceneId, stagecraft::wire::ClientMessage& Message);

	TMap<FString, TSharedPtr<FStagecraftConnection, ESPMode::ThreadSafe>> Connections;
	TMap<FString, TUniquePtr<class FStagecraftListener>> Listeners;
	FTSTicker::FDelegateHandle TickHandle;
};
