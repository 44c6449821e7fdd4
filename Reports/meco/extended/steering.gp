# Drawn by the replicate harness; run `gnuplot steering.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Samples classified as the source named in the prompt"
set xlabel "arm: 1 = STD, 2 = MECO"
set ylabel "fraction (exact MAP source)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'steering.png'
plot 'steering.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "steering fraction"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'steering.svg'
plot 'steering.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "steering fraction"
unset output
