"""Contains all the data models used in inputs/outputs"""

from .account_in import AccountIn
from .account_in_metadata import AccountInMetadata
from .account_in_type import AccountInType
from .account_out import AccountOut
from .account_out_metadata import AccountOutMetadata
from .accrual_in import AccrualIn
from .accrual_out import AccrualOut
from .accrued_out import AccruedOut
from .added_pledge_out import AddedPledgeOut
from .adjustment_in import AdjustmentIn
from .advance_detail_out import AdvanceDetailOut
from .advance_detail_out_status import AdvanceDetailOutStatus
from .advance_event import AdvanceEvent
from .advance_in import AdvanceIn
from .advance_in_kind import AdvanceInKind
from .advance_out import AdvanceOut
from .advance_out_status import AdvanceOutStatus
from .advance_settle_in import AdvanceSettleIn
from .advance_settled import AdvanceSettled
from .advance_settled_allocations_type_0_item import AdvanceSettledAllocationsType0Item
from .advance_settlement_out import AdvanceSettlementOut
from .advance_settlement_out_source import AdvanceSettlementOutSource
from .advances_list_status import AdvancesListStatus
from .aggregate_balance_out import AggregateBalanceOut
from .aging_bucket_out import AgingBucketOut
from .aging_report_out import AgingReportOut
from .alert_out import AlertOut
from .alert_out_details import AlertOutDetails
from .api_key_in import ApiKeyIn
from .api_key_in_role import ApiKeyInRole
from .api_key_in_scopes_type_0_item import ApiKeyInScopesType0Item
from .api_key_issued import ApiKeyIssued
from .api_key_out import ApiKeyOut
from .api_key_submitted import ApiKeySubmitted
from .api_key_submitted_params import ApiKeySubmittedParams
from .api_key_submitted_result_type_0 import ApiKeySubmittedResultType0
from .api_key_submitted_status import ApiKeySubmittedStatus
from .application_in import ApplicationIn
from .approval_actor_out import ApprovalActorOut
from .approval_reject_in import ApprovalRejectIn
from .approval_request_out import ApprovalRequestOut
from .approval_request_out_params import ApprovalRequestOutParams
from .approval_request_out_result_type_0 import ApprovalRequestOutResultType0
from .approval_request_out_status import ApprovalRequestOutStatus
from .approval_requests_list_status_type_0 import ApprovalRequestsListStatusType0
from .as_of_in import AsOfIn
from .attempt_out import AttemptOut
from .audit_entry_out import AuditEntryOut
from .audit_entry_out_after_type_0 import AuditEntryOutAfterType0
from .audit_entry_out_before_type_0 import AuditEntryOutBeforeType0
from .balance_out import BalanceOut
from .batch_in import BatchIn
from .batch_item_in import BatchItemIn
from .batch_item_in_metadata import BatchItemInMetadata
from .batch_out import BatchOut
from .batch_result_out import BatchResultOut
from .batch_result_out_status import BatchResultOutStatus
from .bucket_out import BucketOut
from .buyer_limit_in import BuyerLimitIn
from .buyer_limit_out import BuyerLimitOut
from .checkpoint_out import CheckpointOut
from .claim_in import ClaimIn
from .claim_out import ClaimOut
from .claim_paid import ClaimPaid
from .claim_payment_in import ClaimPaymentIn
from .claim_payment_out import ClaimPaymentOut
from .collateral_pledged import CollateralPledged
from .conversion_body import ConversionBody
from .conversion_body_customs_mode_type_0 import ConversionBodyCustomsModeType0
from .conversion_body_direction import ConversionBodyDirection
from .conversion_out import ConversionOut
from .conversion_out_rate import ConversionOutRate
from .conversion_posted import ConversionPosted
from .conversion_posted_cny import ConversionPostedCny
from .conversion_stat_out import ConversionStatOut
from .csv_mapping_in import CsvMappingIn
from .csv_mapping_out import CsvMappingOut
from .csv_mapping_out_mapping import CsvMappingOutMapping
from .csv_mapping_spec import CsvMappingSpec
from .csv_mapping_spec_columns import CsvMappingSpecColumns
from .csv_mapping_spec_decimal_separator import CsvMappingSpecDecimalSeparator
from .csv_mapping_spec_thousands_separator import CsvMappingSpecThousandsSeparator
from .cure_in import CureIn
from .cure_out import CureOut
from .currency import Currency
from .currency_in import CurrencyIn
from .currency_portfolio_out import CurrencyPortfolioOut
from .currency_portfolio_out_buckets import CurrencyPortfolioOutBuckets
from .currency_portfolio_out_outstanding import CurrencyPortfolioOutOutstanding
from .currency_total_out import CurrencyTotalOut
from .customer_account_out import CustomerAccountOut
from .customer_changed import CustomerChanged
from .customer_in import CustomerIn
from .customer_in_fx_class_type_0 import CustomerInFxClassType0
from .customer_in_kind import CustomerInKind
from .customer_opened import CustomerOpened
from .customer_out import CustomerOut
from .customers_list_kind_type_0 import CustomersListKindType0
from .cycle_in import CycleIn
from .cycle_out import CycleOut
from .cycle_out_central_accounts import CycleOutCentralAccounts
from .cycle_out_status import CycleOutStatus
from .cycle_summary_out import CycleSummaryOut
from .cycle_summary_out_status import CycleSummaryOutStatus
from .decision_in import DecisionIn
from .decision_out import DecisionOut
from .decision_out_inputs import DecisionOutInputs
from .delivery_out import DeliveryOut
from .delivery_out_status import DeliveryOutStatus
from .disbursement_in import DisbursementIn
from .dpd_out import DpdOut
from .due_diligence_in import DueDiligenceIn
from .endpoint_created import EndpointCreated
from .endpoint_in import EndpointIn
from .endpoint_out import EndpointOut
from .endpoint_patch import EndpointPatch
from .event_out import EventOut
from .event_out_payload import EventOutPayload
from .exception_out import ExceptionOut
from .exception_out_side import ExceptionOutSide
from .expired_policy_advance_out import ExpiredPolicyAdvanceOut
from .explanation_out import ExplanationOut
from .explanation_out_figures import ExplanationOutFigures
from .exposure_out import ExposureOut
from .fees import Fees
from .finance_receivable_in import FinanceReceivableIn
from .financing_loans_list_status_type_0 import FinancingLoansListStatusType0
from .flagged_total_out import FlaggedTotalOut
from .fx_class_in import FxClassIn
from .fx_class_in_fx_class import FxClassInFxClass
from .goods_price_in import GoodsPriceIn
from .goods_price_out import GoodsPriceOut
from .haircut_in import HaircutIn
from .health import Health
from .id_number_search_in import IdNumberSearchIn
from .import_out import ImportOut
from .imported_statement_out import ImportedStatementOut
from .ingest_report_out import IngestReportOut
from .ingest_report_out_match import IngestReportOutMatch
from .instalment_out import InstalmentOut
from .instalment_out_status import InstalmentOutStatus
from .instruction_out import InstructionOut
from .instruction_out_direction import InstructionOutDirection
from .insured_advance_out import InsuredAdvanceOut
from .ledger_in import LedgerIn
from .ledger_out import LedgerOut
from .line_part_out import LinePartOut
from .loan_accrued import LoanAccrued
from .loan_applied import LoanApplied
from .loan_bucket_changed import LoanBucketChanged
from .loan_decision_out import LoanDecisionOut
from .loan_decision_out_inputs import LoanDecisionOutInputs
from .loan_disbursed import LoanDisbursed
from .loan_minimum_missed import LoanMinimumMissed
from .loan_out import LoanOut
from .loan_out_balances import LoanOutBalances
from .loan_repayment import LoanRepayment
from .loan_repayment_allocation_type_0 import LoanRepaymentAllocationType0
from .loan_schedule_out import LoanScheduleOut
from .loan_transition import LoanTransition
from .loan_written_off import LoanWrittenOff
from .loan_written_off_components_type_0 import LoanWrittenOffComponentsType0
from .login_in import LoginIn
from .lpr_in import LprIn
from .lpr_in_tenor import LprInTenor
from .manual_rate_in import ManualRateIn
from .margin_call_cured import MarginCallCured
from .margin_call_opened import MarginCallOpened
from .margin_call_out import MarginCallOut
from .match_in import MatchIn
from .matching_settings import MatchingSettings
from .matching_settings_out import MatchingSettingsOut
from .models_statement_line_out import ModelsStatementLineOut
from .models_statement_line_out_side import ModelsStatementLineOutSide
from .money import Money
from .negative_list_in import NegativeListIn
from .netting_closed import NettingClosed
from .netting_closed_currencies_type_0 import NettingClosedCurrenciesType0
from .netting_closed_currencies_type_0_additional_property import NettingClosedCurrenciesType0AdditionalProperty
from .netting_cycles_list_kind_type_0 import NettingCyclesListKindType0
from .netting_cycles_list_status_type_0 import NettingCyclesListStatusType0
from .next_due_out import NextDueOut
from .obligation_in import ObligationIn
from .obligation_out import ObligationOut
from .obligations_in import ObligationsIn
from .offer_out import OfferOut
from .offer_out_pricing import OfferOutPricing
from .order_assets import OrderAssets
from .order_detail_out import OrderDetailOut
from .order_detail_out_match_status import OrderDetailOutMatchStatus
from .order_out import OrderOut
from .order_out_match_status import OrderOutMatchStatus
from .order_record import OrderRecord
from .overdue_sweep_in import OverdueSweepIn
from .overdue_sweep_out import OverdueSweepOut
from .page_account_out import PageAccountOut
from .page_advance_out import PageAdvanceOut
from .page_aggregate_balance_out import PageAggregateBalanceOut
from .page_alert_out import PageAlertOut
from .page_api_key_out import PageApiKeyOut
from .page_approval_request_out import PageApprovalRequestOut
from .page_audit_entry_out import PageAuditEntryOut
from .page_csv_mapping_out import PageCsvMappingOut
from .page_customer_account_out import PageCustomerAccountOut
from .page_customer_out import PageCustomerOut
from .page_cycle_summary_out import PageCycleSummaryOut
from .page_delivery_out import PageDeliveryOut
from .page_dpd_out import PageDpdOut
from .page_endpoint_out import PageEndpointOut
from .page_event_out import PageEventOut
from .page_exception_out import PageExceptionOut
from .page_expired_policy_advance_out import PageExpiredPolicyAdvanceOut
from .page_ledger_out import PageLedgerOut
from .page_loan_out import PageLoanOut
from .page_match_out import PageMatchOut
from .page_obligation_out import PageObligationOut
from .page_order_out import PageOrderOut
from .page_payment_out import PagePaymentOut
from .page_product_out import PageProductOut
from .page_proposal_out import PageProposalOut
from .page_receipt_out import PageReceiptOut
from .page_recon_account_out import PageReconAccountOut
from .page_report_info_out import PageReportInfoOut
from .page_sme_account_out import PageSmeAccountOut
from .page_sme_asset_out import PageSmeAssetOut
from .page_sme_notification_out import PageSmeNotificationOut
from .page_spread_out import PageSpreadOut
from .page_statement_row_out import PageStatementRowOut
from .page_statementlineout_1 import PageStatementlineout1
from .page_statementlineout_2 import PageStatementlineout2
from .page_trade_reject_out import PageTradeRejectOut
from .page_transaction_out import PageTransactionOut
from .page_user_out import PageUserOut
from .partner_bank_settlement_in import PartnerBankSettlementIn
from .partner_bank_settlement_in_reserve_account_ids_type_0 import PartnerBankSettlementInReserveAccountIdsType0
from .partner_flow_in import PartnerFlowIn
from .partner_flow_in_direction import PartnerFlowInDirection
from .password_change_in import PasswordChangeIn
from .payment_body import PaymentBody
from .payment_body_purpose import PaymentBodyPurpose
from .payment_event import PaymentEvent
from .payment_record import PaymentRecord
from .payment_release_body import PaymentReleaseBody
from .payment_released import PaymentReleased
from .payment_stat_out import PaymentStatOut
from .payment_stat_out_key import PaymentStatOutKey
from .payments_list_status_type_0 import PaymentsListStatusType0
from .payments_payment_out import PaymentsPaymentOut
from .payments_payment_out_status import PaymentsPaymentOutStatus
from .personal_data_out import PersonalDataOut
from .pledge_in import PledgeIn
from .pledge_liquidated import PledgeLiquidated
from .pledge_out import PledgeOut
from .pledge_status_out import PledgeStatusOut
from .policy_expired_advance import PolicyExpiredAdvance
from .policy_in import PolicyIn
from .policy_in_buyer_limits import PolicyInBuyerLimits
from .policy_out import PolicyOut
from .policy_out_buyer_limits import PolicyOutBuyerLimits
from .portfolio_out import PortfolioOut
from .position_out import PositionOut
from .post_pending_in import PostPendingIn
from .post_pending_in_metadata import PostPendingInMetadata
from .posting_in import PostingIn
from .posting_in_side import PostingInSide
from .posting_out import PostingOut
from .posting_out_phase import PostingOutPhase
from .posting_out_side import PostingOutSide
from .prepayment_out import PrepaymentOut
from .problem import Problem
from .problem_field_error import ProblemFieldError
from .product_config_in import ProductConfigIn
from .product_config_in_lpr_tenor_type_0 import ProductConfigInLprTenorType0
from .product_config_in_prepayment_rule_type_0 import ProductConfigInPrepaymentRuleType0
from .product_config_in_schedule_method_type_0 import ProductConfigInScheduleMethodType0
from .product_config_in_sweep_waterfall_type_0_item import ProductConfigInSweepWaterfallType0Item
from .product_config_in_waterfall_type_0_item import ProductConfigInWaterfallType0Item
from .product_in import ProductIn
from .product_in_kind import ProductInKind
from .product_out import ProductOut
from .product_out_config import ProductOutConfig
from .proposal_in import ProposalIn
from .proposal_in_kind import ProposalInKind
from .proposal_out import ProposalOut
from .proposal_out_payload import ProposalOutPayload
from .quota_direction import QuotaDirection
from .quota_out import QuotaOut
from .quota_out_directions import QuotaOutDirections
from .rate_out import RateOut
from .rate_out_kind import RateOutKind
from .rates_bank_get_side import RatesBankGetSide
from .ready import Ready
from .receipt_batch_in import ReceiptBatchIn
from .receipt_batch_item import ReceiptBatchItem
from .receipt_batch_item_customs_mode import ReceiptBatchItemCustomsMode
from .receipt_batch_out import ReceiptBatchOut
from .receipt_batch_result_out import ReceiptBatchResultOut
from .receipt_batch_result_out_status import ReceiptBatchResultOutStatus
from .receipt_body import ReceiptBody
from .receipt_body_customs_mode import ReceiptBodyCustomsMode
from .receipt_event import ReceiptEvent
from .receipt_out import ReceiptOut
from .receipt_out_fees import ReceiptOutFees
from .receipt_out_status import ReceiptOutStatus
from .receipt_released import ReceiptReleased
from .receipts_list_status_type_0 import ReceiptsListStatusType0
from .receivable_in import ReceivableIn
from .receivable_out import ReceivableOut
from .recon_account_in import ReconAccountIn
from .recon_account_out import ReconAccountOut
from .recon_exceptions_list_age_type_0 import ReconExceptionsListAgeType0
from .recon_exceptions_list_direction_type_0 import ReconExceptionsListDirectionType0
from .recon_exceptions_list_side_type_0 import ReconExceptionsListSideType0
from .recon_lines_list_status_type_0 import ReconLinesListStatusType0
from .recon_match_out import ReconMatchOut
from .recon_matching_run import ReconMatchingRun
from .recon_matching_run_counts import ReconMatchingRunCounts
from .recon_proposal_approved import ReconProposalApproved
from .recon_proposal_created import ReconProposalCreated
from .recon_proposals_list_status_type_0 import ReconProposalsListStatusType0
from .recon_statement_imported import ReconStatementImported
from .recon_statement_imported_statements_item import ReconStatementImportedStatementsItem
from .recon_statement_line_out import ReconStatementLineOut
from .recon_statement_line_out_status import ReconStatementLineOutStatus
from .recon_statements_file_files_body import ReconStatementsFileFilesBody
from .recon_statements_file_format_type_0 import ReconStatementsFileFormatType0
from .refresh_in import RefreshIn
from .refresh_out import RefreshOut
from .refresh_source_out import RefreshSourceOut
from .refresh_source_out_error_type_0 import RefreshSourceOutErrorType0
from .refund_out import RefundOut
from .refund_record import RefundRecord
from .refund_record_kind import RefundRecordKind
from .registration_in import RegistrationIn
from .reject_in import RejectIn
from .rejected_out import RejectedOut
from .release_body import ReleaseBody
from .repayment_in import RepaymentIn
from .report_column_out import ReportColumnOut
from .report_column_out_kind import ReportColumnOutKind
from .report_info_out import ReportInfoOut
from .report_out import ReportOut
from .report_out_params import ReportOutParams
from .report_out_rows_item import ReportOutRowsItem
from .report_out_totals_item import ReportOutTotalsItem
from .report_param_out import ReportParamOut
from .report_param_out_type import ReportParamOutType
from .reports_account_statement_get_format_type_0 import ReportsAccountStatementGetFormatType0
from .reports_advance_aging_get_format_type_0 import ReportsAdvanceAgingGetFormatType0
from .reports_fx_position_get_format_type_0 import ReportsFxPositionGetFormatType0
from .reports_loan_portfolio_get_format_type_0 import ReportsLoanPortfolioGetFormatType0
from .reports_monitoring_get_by import ReportsMonitoringGetBy
from .reports_monitoring_get_format_type_0 import ReportsMonitoringGetFormatType0
from .reports_recon_summary_get_format_type_0 import ReportsReconSummaryGetFormatType0
from .reports_trial_balance_get_format_type_0 import ReportsTrialBalanceGetFormatType0
from .reverse_in import ReverseIn
from .reverse_in_metadata import ReverseInMetadata
from .review_body import ReviewBody
from .revoke_in import RevokeIn
from .risk_alert_raised import RiskAlertRaised
from .risk_alerts_list_status_type_0 import RiskAlertsListStatusType0
from .rotate_in import RotateIn
from .run_in import RunIn
from .run_out import RunOut
from .run_out_matches_by_rule import RunOutMatchesByRule
from .runs_out import RunsOut
from .schedule_item_out import ScheduleItemOut
from .settlement_config_body import SettlementConfigBody
from .settlement_config_body_overrides import SettlementConfigBodyOverrides
from .settlement_config_get_response_get_config_v1_settlement_config_get import (
    SettlementConfigGetResponseGetConfigV1SettlementConfigGet,
)
from .settlement_config_update_response_put_config_v1_settlement_config_put import (
    SettlementConfigUpdateResponsePutConfigV1SettlementConfigPut,
)
from .sme_account_out import SmeAccountOut
from .sme_application_in import SmeApplicationIn
from .sme_asset_out import SmeAssetOut
from .sme_asset_out_details import SmeAssetOutDetails
from .sme_loans_list_status_type_0 import SmeLoansListStatusType0
from .sme_margin_call import SmeMarginCall
from .sme_margin_call_margin_call import SmeMarginCallMarginCall
from .sme_next_due_out import SmeNextDueOut
from .sme_notification_out import SmeNotificationOut
from .sme_notification_out_data import SmeNotificationOutData
from .sme_offer_ready import SmeOfferReady
from .sme_overdue import SmeOverdue
from .sme_payment_due import SmePaymentDue
from .sme_repayment_in import SmeRepaymentIn
from .sme_statement_line_out import SmeStatementLineOut
from .sme_statement_out import SmeStatementOut
from .sme_statement_out_status import SmeStatementOutStatus
from .split_part import SplitPart
from .spread_in import SpreadIn
from .spread_out import SpreadOut
from .stat_out import StatOut
from .stat_out_key import StatOutKey
from .statement_row_out import StatementRowOut
from .statistics_out_conversion_stat_out import StatisticsOutConversionStatOut
from .statistics_out_payment_stat_out import StatisticsOutPaymentStatOut
from .statistics_out_stat_out import StatisticsOutStatOut
from .summary_out import SummaryOut
from .summary_out_accounts_item import SummaryOutAccountsItem
from .summary_out_daily_item import SummaryOutDailyItem
from .text_out import TextOut
from .token_out import TokenOut
from .trade_data_ingested import TradeDataIngested
from .trade_data_orders_file_files_body import TradeDataOrdersFileFilesBody
from .trade_data_orders_file_format_type_0 import TradeDataOrdersFileFormatType0
from .trade_data_orders_list_match_status_type_0 import TradeDataOrdersListMatchStatusType0
from .trade_data_payments_file_files_body import TradeDataPaymentsFileFilesBody
from .trade_data_payments_file_format_type_0 import TradeDataPaymentsFileFormatType0
from .trade_data_refunds_file_files_body import TradeDataRefundsFileFilesBody
from .trade_data_refunds_file_format_type_0 import TradeDataRefundsFileFormatType0
from .trade_data_rejects_list_kind_type_0 import TradeDataRejectsListKindType0
from .trade_data_waybills_file_files_body import TradeDataWaybillsFileFilesBody
from .trade_data_waybills_file_format_type_0 import TradeDataWaybillsFileFormatType0
from .trade_records_in import TradeRecordsIn
from .trade_records_in_records_item import TradeRecordsInRecordsItem
from .trade_reject_out import TradeRejectOut
from .tradedata_match_out import TradedataMatchOut
from .tradedata_match_out_match import TradedataMatchOutMatch
from .tradedata_payment_out import TradedataPaymentOut
from .transaction_in import TransactionIn
from .transaction_in_metadata import TransactionInMetadata
from .transaction_out import TransactionOut
from .transaction_out_metadata import TransactionOutMetadata
from .transaction_posted import TransactionPosted
from .trial_balance_line_out import TrialBalanceLineOut
from .trial_balance_out import TrialBalanceOut
from .trial_balance_total import TrialBalanceTotal
from .underwrite_in import UnderwriteIn
from .underwriting_decided import UnderwritingDecided
from .user_in import UserIn
from .user_in_role import UserInRole
from .user_out import UserOut
from .user_role_in import UserRoleIn
from .user_role_in_role import UserRoleInRole
from .user_submitted import UserSubmitted
from .user_submitted_params import UserSubmittedParams
from .user_submitted_result_type_0 import UserSubmittedResultType0
from .user_submitted_status import UserSubmittedStatus
from .valuation_out import ValuationOut
from .verification_out import VerificationOut
from .verify_in import VerifyIn
from .void_in import VoidIn
from .void_in_metadata import VoidInMetadata
from .warehouse_receipt_in import WarehouseReceiptIn
from .warehouse_receipt_out import WarehouseReceiptOut
from .waybill_out import WaybillOut
from .waybill_record import WaybillRecord
from .webhook_deliveries_list_status_type_0 import WebhookDeliveriesListStatusType0
from .who_am_i import WhoAmI
from .write_off_in import WriteOffIn

__all__ = (
    "AccountIn",
    "AccountInMetadata",
    "AccountInType",
    "AccountOut",
    "AccountOutMetadata",
    "AccrualIn",
    "AccrualOut",
    "AccruedOut",
    "AddedPledgeOut",
    "AdjustmentIn",
    "AdvanceDetailOut",
    "AdvanceDetailOutStatus",
    "AdvanceEvent",
    "AdvanceIn",
    "AdvanceInKind",
    "AdvanceOut",
    "AdvanceOutStatus",
    "AdvanceSettled",
    "AdvanceSettledAllocationsType0Item",
    "AdvanceSettleIn",
    "AdvanceSettlementOut",
    "AdvanceSettlementOutSource",
    "AdvancesListStatus",
    "AggregateBalanceOut",
    "AgingBucketOut",
    "AgingReportOut",
    "AlertOut",
    "AlertOutDetails",
    "ApiKeyIn",
    "ApiKeyInRole",
    "ApiKeyInScopesType0Item",
    "ApiKeyIssued",
    "ApiKeyOut",
    "ApiKeySubmitted",
    "ApiKeySubmittedParams",
    "ApiKeySubmittedResultType0",
    "ApiKeySubmittedStatus",
    "ApplicationIn",
    "ApprovalActorOut",
    "ApprovalRejectIn",
    "ApprovalRequestOut",
    "ApprovalRequestOutParams",
    "ApprovalRequestOutResultType0",
    "ApprovalRequestOutStatus",
    "ApprovalRequestsListStatusType0",
    "AsOfIn",
    "AttemptOut",
    "AuditEntryOut",
    "AuditEntryOutAfterType0",
    "AuditEntryOutBeforeType0",
    "BalanceOut",
    "BatchIn",
    "BatchItemIn",
    "BatchItemInMetadata",
    "BatchOut",
    "BatchResultOut",
    "BatchResultOutStatus",
    "BucketOut",
    "BuyerLimitIn",
    "BuyerLimitOut",
    "CheckpointOut",
    "ClaimIn",
    "ClaimOut",
    "ClaimPaid",
    "ClaimPaymentIn",
    "ClaimPaymentOut",
    "CollateralPledged",
    "ConversionBody",
    "ConversionBodyCustomsModeType0",
    "ConversionBodyDirection",
    "ConversionOut",
    "ConversionOutRate",
    "ConversionPosted",
    "ConversionPostedCny",
    "ConversionStatOut",
    "CsvMappingIn",
    "CsvMappingOut",
    "CsvMappingOutMapping",
    "CsvMappingSpec",
    "CsvMappingSpecColumns",
    "CsvMappingSpecDecimalSeparator",
    "CsvMappingSpecThousandsSeparator",
    "CureIn",
    "CureOut",
    "Currency",
    "CurrencyIn",
    "CurrencyPortfolioOut",
    "CurrencyPortfolioOutBuckets",
    "CurrencyPortfolioOutOutstanding",
    "CurrencyTotalOut",
    "CustomerAccountOut",
    "CustomerChanged",
    "CustomerIn",
    "CustomerInFxClassType0",
    "CustomerInKind",
    "CustomerOpened",
    "CustomerOut",
    "CustomersListKindType0",
    "CycleIn",
    "CycleOut",
    "CycleOutCentralAccounts",
    "CycleOutStatus",
    "CycleSummaryOut",
    "CycleSummaryOutStatus",
    "DecisionIn",
    "DecisionOut",
    "DecisionOutInputs",
    "DeliveryOut",
    "DeliveryOutStatus",
    "DisbursementIn",
    "DpdOut",
    "DueDiligenceIn",
    "EndpointCreated",
    "EndpointIn",
    "EndpointOut",
    "EndpointPatch",
    "EventOut",
    "EventOutPayload",
    "ExceptionOut",
    "ExceptionOutSide",
    "ExpiredPolicyAdvanceOut",
    "ExplanationOut",
    "ExplanationOutFigures",
    "ExposureOut",
    "Fees",
    "FinanceReceivableIn",
    "FinancingLoansListStatusType0",
    "FlaggedTotalOut",
    "FxClassIn",
    "FxClassInFxClass",
    "GoodsPriceIn",
    "GoodsPriceOut",
    "HaircutIn",
    "Health",
    "IdNumberSearchIn",
    "ImportedStatementOut",
    "ImportOut",
    "IngestReportOut",
    "IngestReportOutMatch",
    "InstalmentOut",
    "InstalmentOutStatus",
    "InstructionOut",
    "InstructionOutDirection",
    "InsuredAdvanceOut",
    "LedgerIn",
    "LedgerOut",
    "LinePartOut",
    "LoanAccrued",
    "LoanApplied",
    "LoanBucketChanged",
    "LoanDecisionOut",
    "LoanDecisionOutInputs",
    "LoanDisbursed",
    "LoanMinimumMissed",
    "LoanOut",
    "LoanOutBalances",
    "LoanRepayment",
    "LoanRepaymentAllocationType0",
    "LoanScheduleOut",
    "LoanTransition",
    "LoanWrittenOff",
    "LoanWrittenOffComponentsType0",
    "LoginIn",
    "LprIn",
    "LprInTenor",
    "ManualRateIn",
    "MarginCallCured",
    "MarginCallOpened",
    "MarginCallOut",
    "MatchIn",
    "MatchingSettings",
    "MatchingSettingsOut",
    "ModelsStatementLineOut",
    "ModelsStatementLineOutSide",
    "Money",
    "NegativeListIn",
    "NettingClosed",
    "NettingClosedCurrenciesType0",
    "NettingClosedCurrenciesType0AdditionalProperty",
    "NettingCyclesListKindType0",
    "NettingCyclesListStatusType0",
    "NextDueOut",
    "ObligationIn",
    "ObligationOut",
    "ObligationsIn",
    "OfferOut",
    "OfferOutPricing",
    "OrderAssets",
    "OrderDetailOut",
    "OrderDetailOutMatchStatus",
    "OrderOut",
    "OrderOutMatchStatus",
    "OrderRecord",
    "OverdueSweepIn",
    "OverdueSweepOut",
    "PageAccountOut",
    "PageAdvanceOut",
    "PageAggregateBalanceOut",
    "PageAlertOut",
    "PageApiKeyOut",
    "PageApprovalRequestOut",
    "PageAuditEntryOut",
    "PageCsvMappingOut",
    "PageCustomerAccountOut",
    "PageCustomerOut",
    "PageCycleSummaryOut",
    "PageDeliveryOut",
    "PageDpdOut",
    "PageEndpointOut",
    "PageEventOut",
    "PageExceptionOut",
    "PageExpiredPolicyAdvanceOut",
    "PageLedgerOut",
    "PageLoanOut",
    "PageMatchOut",
    "PageObligationOut",
    "PageOrderOut",
    "PagePaymentOut",
    "PageProductOut",
    "PageProposalOut",
    "PageReceiptOut",
    "PageReconAccountOut",
    "PageReportInfoOut",
    "PageSmeAccountOut",
    "PageSmeAssetOut",
    "PageSmeNotificationOut",
    "PageSpreadOut",
    "PageStatementlineout1",
    "PageStatementlineout2",
    "PageStatementRowOut",
    "PageTradeRejectOut",
    "PageTransactionOut",
    "PageUserOut",
    "PartnerBankSettlementIn",
    "PartnerBankSettlementInReserveAccountIdsType0",
    "PartnerFlowIn",
    "PartnerFlowInDirection",
    "PasswordChangeIn",
    "PaymentBody",
    "PaymentBodyPurpose",
    "PaymentEvent",
    "PaymentRecord",
    "PaymentReleaseBody",
    "PaymentReleased",
    "PaymentsListStatusType0",
    "PaymentsPaymentOut",
    "PaymentsPaymentOutStatus",
    "PaymentStatOut",
    "PaymentStatOutKey",
    "PersonalDataOut",
    "PledgeIn",
    "PledgeLiquidated",
    "PledgeOut",
    "PledgeStatusOut",
    "PolicyExpiredAdvance",
    "PolicyIn",
    "PolicyInBuyerLimits",
    "PolicyOut",
    "PolicyOutBuyerLimits",
    "PortfolioOut",
    "PositionOut",
    "PostingIn",
    "PostingInSide",
    "PostingOut",
    "PostingOutPhase",
    "PostingOutSide",
    "PostPendingIn",
    "PostPendingInMetadata",
    "PrepaymentOut",
    "Problem",
    "ProblemFieldError",
    "ProductConfigIn",
    "ProductConfigInLprTenorType0",
    "ProductConfigInPrepaymentRuleType0",
    "ProductConfigInScheduleMethodType0",
    "ProductConfigInSweepWaterfallType0Item",
    "ProductConfigInWaterfallType0Item",
    "ProductIn",
    "ProductInKind",
    "ProductOut",
    "ProductOutConfig",
    "ProposalIn",
    "ProposalInKind",
    "ProposalOut",
    "ProposalOutPayload",
    "QuotaDirection",
    "QuotaOut",
    "QuotaOutDirections",
    "RateOut",
    "RateOutKind",
    "RatesBankGetSide",
    "Ready",
    "ReceiptBatchIn",
    "ReceiptBatchItem",
    "ReceiptBatchItemCustomsMode",
    "ReceiptBatchOut",
    "ReceiptBatchResultOut",
    "ReceiptBatchResultOutStatus",
    "ReceiptBody",
    "ReceiptBodyCustomsMode",
    "ReceiptEvent",
    "ReceiptOut",
    "ReceiptOutFees",
    "ReceiptOutStatus",
    "ReceiptReleased",
    "ReceiptsListStatusType0",
    "ReceivableIn",
    "ReceivableOut",
    "ReconAccountIn",
    "ReconAccountOut",
    "ReconExceptionsListAgeType0",
    "ReconExceptionsListDirectionType0",
    "ReconExceptionsListSideType0",
    "ReconLinesListStatusType0",
    "ReconMatchingRun",
    "ReconMatchingRunCounts",
    "ReconMatchOut",
    "ReconProposalApproved",
    "ReconProposalCreated",
    "ReconProposalsListStatusType0",
    "ReconStatementImported",
    "ReconStatementImportedStatementsItem",
    "ReconStatementLineOut",
    "ReconStatementLineOutStatus",
    "ReconStatementsFileFilesBody",
    "ReconStatementsFileFormatType0",
    "RefreshIn",
    "RefreshOut",
    "RefreshSourceOut",
    "RefreshSourceOutErrorType0",
    "RefundOut",
    "RefundRecord",
    "RefundRecordKind",
    "RegistrationIn",
    "RejectedOut",
    "RejectIn",
    "ReleaseBody",
    "RepaymentIn",
    "ReportColumnOut",
    "ReportColumnOutKind",
    "ReportInfoOut",
    "ReportOut",
    "ReportOutParams",
    "ReportOutRowsItem",
    "ReportOutTotalsItem",
    "ReportParamOut",
    "ReportParamOutType",
    "ReportsAccountStatementGetFormatType0",
    "ReportsAdvanceAgingGetFormatType0",
    "ReportsFxPositionGetFormatType0",
    "ReportsLoanPortfolioGetFormatType0",
    "ReportsMonitoringGetBy",
    "ReportsMonitoringGetFormatType0",
    "ReportsReconSummaryGetFormatType0",
    "ReportsTrialBalanceGetFormatType0",
    "ReverseIn",
    "ReverseInMetadata",
    "ReviewBody",
    "RevokeIn",
    "RiskAlertRaised",
    "RiskAlertsListStatusType0",
    "RotateIn",
    "RunIn",
    "RunOut",
    "RunOutMatchesByRule",
    "RunsOut",
    "ScheduleItemOut",
    "SettlementConfigBody",
    "SettlementConfigBodyOverrides",
    "SettlementConfigGetResponseGetConfigV1SettlementConfigGet",
    "SettlementConfigUpdateResponsePutConfigV1SettlementConfigPut",
    "SmeAccountOut",
    "SmeApplicationIn",
    "SmeAssetOut",
    "SmeAssetOutDetails",
    "SmeLoansListStatusType0",
    "SmeMarginCall",
    "SmeMarginCallMarginCall",
    "SmeNextDueOut",
    "SmeNotificationOut",
    "SmeNotificationOutData",
    "SmeOfferReady",
    "SmeOverdue",
    "SmePaymentDue",
    "SmeRepaymentIn",
    "SmeStatementLineOut",
    "SmeStatementOut",
    "SmeStatementOutStatus",
    "SplitPart",
    "SpreadIn",
    "SpreadOut",
    "StatementRowOut",
    "StatisticsOutConversionStatOut",
    "StatisticsOutPaymentStatOut",
    "StatisticsOutStatOut",
    "StatOut",
    "StatOutKey",
    "SummaryOut",
    "SummaryOutAccountsItem",
    "SummaryOutDailyItem",
    "TextOut",
    "TokenOut",
    "TradeDataIngested",
    "TradedataMatchOut",
    "TradedataMatchOutMatch",
    "TradeDataOrdersFileFilesBody",
    "TradeDataOrdersFileFormatType0",
    "TradeDataOrdersListMatchStatusType0",
    "TradedataPaymentOut",
    "TradeDataPaymentsFileFilesBody",
    "TradeDataPaymentsFileFormatType0",
    "TradeDataRefundsFileFilesBody",
    "TradeDataRefundsFileFormatType0",
    "TradeDataRejectsListKindType0",
    "TradeDataWaybillsFileFilesBody",
    "TradeDataWaybillsFileFormatType0",
    "TradeRecordsIn",
    "TradeRecordsInRecordsItem",
    "TradeRejectOut",
    "TransactionIn",
    "TransactionInMetadata",
    "TransactionOut",
    "TransactionOutMetadata",
    "TransactionPosted",
    "TrialBalanceLineOut",
    "TrialBalanceOut",
    "TrialBalanceTotal",
    "UnderwriteIn",
    "UnderwritingDecided",
    "UserIn",
    "UserInRole",
    "UserOut",
    "UserRoleIn",
    "UserRoleInRole",
    "UserSubmitted",
    "UserSubmittedParams",
    "UserSubmittedResultType0",
    "UserSubmittedStatus",
    "ValuationOut",
    "VerificationOut",
    "VerifyIn",
    "VoidIn",
    "VoidInMetadata",
    "WarehouseReceiptIn",
    "WarehouseReceiptOut",
    "WaybillOut",
    "WaybillRecord",
    "WebhookDeliveriesListStatusType0",
    "WhoAmI",
    "WriteOffIn",
)
