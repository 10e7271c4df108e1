#include "StagecraftListener.h"

#include "StagecraftLog.h"
#include "StagecraftSubsystem.h"
#include "StagecraftTypes.h"

FString ToFString(const std::string& S) { return FString(UTF8_TO_TCHAR(S.c_str())); }

FStagecraftDirective ToBlueprint(const stagecraft::wire::Directive& D)
{
	FStagecraftDirective Out;
	Out.NpcId = ToFString(D.npc_id);
	if (D.stance)
	{
		const char* Name = stagecraft::wire::name_of(*D.stance);  // STANCE_HOSTILE → hostile
		Out.Stance = Name ? FName(*FString(UTF8_TO_TCHAR(Name + 7)).ToLower()) : NAME_None;
	}
	Out.bHasAggression = D.aggression.has_value();
	Out.Aggression = D.aggression.value_or(0.f);
	Out.TargetId = ToFString(D.target_id.value_or(""));
	Out.bHasRetreatBelowHealth = D.retreat_below_health.has_value();
	Out.RetreatBelowHealth = D.retreat_below_health.value_or(0.f);
	Out.Say = ToFString(D.say.value_or(""));
	Out.RuleId = ToFString(D.rule_id);
	return Out;
}

void FStagecraftListener::on_answer(const stagecraft::Answer& Answer, const stagecraft::wire::ServerMessage& M)
{
	UStagecraftSubsystem* S = Owner.Get();
	if (!S || M.body_case != stagecraft::wire::ServerMessage::BodyCase::Verdict)
		return;
	FStagecraftVerdict V;
	V.RequestId = ToFString(Answer.request.id);
	V.ProposalId = ToFString(M.verdict.proposal_id);
	const int32 Decision = int32(M.verdict.decision);
	V.Decision = Decision >= 0 && Decision <= 3 ? EStagecraftDecision(Decision) : EStagecraftDecision::Unspecified;
	V.RuleId = ToFString(M.verdict.rule_id);
	V.Reason = ToFString(M.verdict.reason);
	if (M.verdict.rewritten)
	{
		V.RewrittenVerb = ToFString(M.verdict.rewritten->verb);
		V.RewrittenTargetId = ToFString(M.verdict.rewritten->target_id);
		V.RewrittenAmount = float(M.verdict.rewritten->amount);
	}
	S->RaiseVerdict(V);
}

void FStagecraftListener::on_directive(const stagecraft::wire::Directive& D)
{
	if (UStagecraftSubsystem* S = Owner.Get())
		S->RaiseDirective(ToBlueprint(D));
}

void FStagecraftListener::on_performance_start(stagecraft::Performance& P)
{
	UStagecraftSubsystem* S = Owner.Get();
	if (!S)
		return;
	FStagecraftPerformance Out;
	Out.PerformanceId = ToFString(P.id());
	Out.NpcId = ToFString(P.start().npc_id);
	Out.Text = ToFString(P.start().text);
	Out.RequestId = ToFString(P.start().request_id);
	S->RaisePerformanceStarted(Out);
}

void FStagecraftListener::on_performance_end(stagecraft::Performance& P, const stagecraft::wire::PerformanceEnd& End)
{
	UStagecraftSubsystem* S = Owner.Get();
	if (!S)
		return;
	FStagecraftPerformance Out;
	Out.PerformanceId = ToFString(P.id());
	Out.NpcId = ToFString(P.start().npc_id);
	Out.Text = ToFString(End.text.empty() ? P.start().text : End.text);
	Out.RequestId = ToFString(P.start().request_id);
	Out.bInterrupted = End.reason != stagecraft::wire::EndReason::Completed;
	Out.EndMs = float(P.end_ms());
	S->RaisePerformanceEnded(Out);
}

void FStagecraftListener::on_error(const stagecraft::wire::Error& E)
{
	if (UStagecraftSubsystem* S = Owner.Get())
		S->RaiseError(ToFString(E.field), ToFString(E.message_type + ": " + E.message));
}

void FStagecraftListener::on_bad_frame(const std::string& Why)
{
	UE_LOG(LogStagecraft, Warning, TEXT("undecodable frame from the server: %s"), *ToFString(Why));
}
