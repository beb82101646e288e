// A 16-bit ALU (add, sub, logic, shifts, compares, 16 x 16 multiply with
// both halves of the product) over an 8 x 16 register file with two read
// ports and one write port, with registered result and flags.
module alu16 (
    input  wire        clk,
    input  wire        rst,
    input  wire        we,
    input  wire        use_imm,
    input  wire [2:0]  ra,
    input  wire [2:0]  rb,
    input  wire [2:0]  rd,
    input  wire [3:0]  op,
    input  wire [15:0] imm,
    output reg  [15:0] result,
    output reg         zero,
    output reg         carry,
    output reg         negative
);
    reg  [15:0] regs [0:7];
    wire [15:0] a = regs[ra];
    wire [15:0] b = use_imm ? imm : regs[rb];
    wire [31:0] prod = a * b;
    reg  [16:0] r;
    always @* begin
        case (op)
            4'd0:  r = {1'b0, a} + {1'b0, b};
            4'd1:  r = {1'b0, a} - {1'b0, b};
            4'd2:  r = {1'b0, a & b};
            4'd3:  r = {1'b0, a | b};
            4'd4:  r = {1'b0, a ^ b};
            4'd5:  r = {1'b0, a << b[3:0]};
            4'd6:  r = {1'b0, a >> b[3:0]};
            4'd7:  r = {1'b0, $signed(a) >>> b[3:0]};
            4'd8:  r = {16'd0, $signed(a) < $signed(b)};
            4'd9:  r = {16'd0, a < b};
            4'd10: r = {1'b0, prod[15:0]};
            4'd11: r = {1'b0, prod[31:16]};
            4'd12: r = {1'b0, ~a};
            4'd13: r = {1'b0, a[7:0], a[15:8]};
            4'd14: r = {16'd0, a == b};
            default: r = {1'b0, b};
        endcase
    end
    integer i;
    always @(posedge clk) begin
        if (rst) begin
            for (i = 0; i < 8; i = i + 1)
                regs[i] <= 16'd0;
            result <= 16'd0;
            zero <= 1'b0;
            carry <= 1'b0;
            negative <= 1'b0;
        end else begin
            if (we)
                regs[rd] <= r[15:0];
            result <= r[15:0];
            zero <= r[15:0] == 16'd0;
            carry <= r[16];
            negative <= r[15];
        end
    end
endmodule
