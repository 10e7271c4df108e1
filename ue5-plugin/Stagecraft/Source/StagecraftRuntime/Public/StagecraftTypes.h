// Blueprint-facing copies of the wire's events, and the delegates that carry them. Every
// Blueprint delegate has a native twin (F…Native) for C++ listeners.
#pragma once

#include "CoreMinimal.h"
#include "StagecraftTypes.generated.h"

UENUM(BlueprintType)
enum class EStagecraftDecision : uint8
{
	Unspecified,
	Allow,
	Rewrite,
	Veto,
};

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftVerdict
{
	GENERATED_BODY()
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString RequestId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString ProposalId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") EStagecraftDecision Decision = EStagecraftDecision::Unspecified;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString RuleId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString Reason;
	/** With Rewrite: the action to carry out instead. */
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString RewrittenVerb;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString RewrittenTargetId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float RewrittenAmount = 0.f;
};

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftPerformance
{
	GENERATED_BODY()
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString PerformanceId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString NpcId;
	/** The line; empty at the start of a reply written while it is spoken (see subtitles). */
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString Text;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString RequestId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") bool bInterrupted = false;
	/** At the end: the last audio sample, in ms. */
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float EndMs = 0.f;
};

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftCue
{
	GENERATED_BODY()
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString NpcId;
	/** nod, head_shake, shrug, lean_in, point, wave, gesture_start, gesture_stop */
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FName Kind;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString TargetId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float StartMs = 0.f;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float DurationMs = 0.f;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float Intensity = 0.f;
};

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftDirective
{
	GENERATED_BODY()
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString NpcId;
	/** friendly, wary, hostile, … or empty when unchanged */
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FName Stance;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") bool bHasAggression = false;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float Aggression = 0.f;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString TargetId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") bool bHasRetreatBelowHealth = false;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float RetreatBelowHealth = 0.f;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString Say;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString RuleId;
};

USTRUCT(BlueprintType)
struct STAGECRAFTRUNTIME_API FStagecraftSubtitle
{
	GENERATED_BODY()
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString PerformanceId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString NpcId;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") FString Text;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float StartMs = 0.f;
	UPROPERTY(BlueprintReadOnly, Category = "Stagecraft") float EndMs = 0.f;
};

DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FStagecraftPerformanceEvent, const FStagecraftPerformance&, Performance);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FStagecraftVerdictEvent, const FStagecraftVerdict&, Verdict);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FStagecraftCueEvent, const FStagecraftCue&, Cue);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FStagecraftDirectiveEvent, const FStagecraftDirective&, Directive);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FStagecraftSubtitleEvent, const FStagecraftSubtitle&, Subtitle);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FStagecraftErrorEvent, const FString&, Field, const FString&, Message);

DECLARE_MULTICAST_DELEGATE_OneParam(FStagecraftPerformanceNative, const FStagecraftPerformance&);
DECLARE_MULTICAST_DELEGATE_OneParam(FStagecraftVerdictNative, const FStagecraftVerdict&);
DECLARE_MULTICAST_DELEGATE_OneParam(FStagecraftCueNative, const FStagecraftCue&);
DECLARE_MULTICAST_DELEGATE_OneParam(FStagecraftDirectiveNative, const FStagecraftDirective&);
DECLARE_MULTICAST_DELEGATE_OneParam(FStagecraftSubtitleNative, const FStagecraftSubtitle&);
DECLARE_MULTICAST_DELEGATE_TwoParams(FStagecraftErrorNative, const FString&, const FString&);
