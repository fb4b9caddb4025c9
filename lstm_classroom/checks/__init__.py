"""The exercises' checks, one module per notebook; each check answers with a `Verdict`.

    verdict            the shared core: Verdict, NotYet, the @check decorator, reading a
                       number, an array or the seed cell's weights from a learner's answer,
                       and the one rule for an answer asked to k decimals (to_decimals)
    seed_walkthrough   00  the seed cell by hand
    forget_gate        01  f_t
    input_gate         02  i_t and the candidate g_t
    cell_state         03  C_t = f_t C_{t-1} + i_t g_t
    output_gate        04  o_t, h_t and the read-out y
    dashboard          05  all weights at once
    frameworks         06  batches and PyTorch / Keras / TF 1 layouts
    backprop           07  backpropagation through time and gradient checks
    training           08  training, and the adding problem
    build              00, 07  check_step and check_step_backward: the learner writes the cell
    variants           09  the 1997 cell, peepholes, coupled gates, the GRU
    trained            10  reading the cells of a trained character model
    xlstm              11  sLSTM and mLSTM
    real_text          12  reading the cells of an LSTM trained on Python source

The checks import lstm_core and lstm_learn, never widget or plotting code (only the sliders'
ranges, controls.slider_range, are read from the widget module, when a check reads weights).
The answers are not written here, only what makes one right.
"""
